package org.jstunnel;

import org.jstunnel.conn.Watchdog;
import org.jstunnel.log.Log;
import org.jstunnel.service.ServiceRegistry;

/**
 * {@code drainTimeout} (issue 14): on SIGTERM, stop accepting and let established connections end
 * before exiting, so a balancer's rolling restart drops nothing. stunnel ends every connection at once
 * (drainTimeout = 0, the default). A second TERM/INT/QUIT during the drain ends it early.
 */
final class Drain {
    private static final long POLL_MS = 100;

    private Drain() {}

    /** @return false if another terminating signal cut the drain short */
    static boolean run(ServiceRegistry registry, int seconds, SignalQueue signals) {
        registry.unbindAll();
        int active = Watchdog.liveCount();
        Log.notice("Draining: accepting no new connections, " + active + " connection(s) active, waiting up to "
            + seconds + " s");
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (Watchdog.liveCount() > 0 && System.nanoTime() < end) {
            try {
                String sig = signals.take(POLL_MS);
                if (sig != null && (sig.equals("TERM") || sig.equals("INT") || sig.equals("QUIT"))) {
                    Log.notice("Drain interrupted by SIG" + sig + ": " + Watchdog.liveCount() + " connection(s) ended");
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        int left = Watchdog.liveCount();
        if (left == 0) Log.notice("Drained: all connections ended");
        else Log.notice("Drain timeout: " + left + " connection(s) still active are ended");
        return true;
    }
}
