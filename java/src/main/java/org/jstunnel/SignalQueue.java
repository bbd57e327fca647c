package org.jstunnel;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jstunnel.log.Log;
import org.jstunnel.os.NativeSignals;

/**
 * Unix signals as a queue the main thread takes from, like stunnel's signal pipe: the native
 * handlers only write to a pipe, one platform thread moves what arrives into this queue, and
 * reloads and shutdown run on the main thread in order.
 *
 * <p>HUP, USR1 and USR2 are caught from the moment the native library is loaded ({@link #catchEarly}):
 * one arriving while the configuration is read or the listeners are bound waits here and is
 * handled once connections are accepted (the launcher ignores them until then, so they never kill
 * the process). TERM, QUIT and INT are caught only from {@link #install} on, as stunnel does, and
 * not at all if they were ignored at start; before that, they end the process.
 */
final class SignalQueue {
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    // A signal already waiting is not queued again (as the kernel keeps one pending signal per
    // number): a burst of HUPs during a slow start-up means one reload, not thousands.
    private final java.util.Set<String> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean reading;

    /** Catches HUP, USR1 and USR2 now; false if the pipe cannot be made. */
    boolean catchEarly() {
        int fd = NativeSignals.openPipe();
        if (fd < 0) return false;
        startReader(fd);
        boolean ok = true;
        for (int sig : new int[] {NativeSignals.SIGHUP, NativeSignals.SIGUSR1, NativeSignals.SIGUSR2}) {
            ok &= NativeSignals.catchSignal(sig, false) == 1;
        }
        return ok;
    }

    /** Catches TERM, QUIT and INT unless ignored (stunnel's main_unix). */
    void install() {
        if (!reading && !catchEarly()) Log.err("Signal pipe initialization failed");
        for (int sig : new int[] {NativeSignals.SIGTERM, NativeSignals.SIGQUIT, NativeSignals.SIGINT}) {
            NativeSignals.catchSignal(sig, true);
        }
    }

    /** Inetd mode: stunnel installs no handlers, so the signals take their default action. */
    static void defaults() {
        for (int sig : new int[] {NativeSignals.SIGHUP, NativeSignals.SIGUSR1, NativeSignals.SIGUSR2}) {
            NativeSignals.defaultAction(sig);
        }
    }

    private synchronized void startReader(int fd) {
        if (reading) return;
        reading = true;
        Thread t = new Thread(() -> {
            while (true) {
                int sig = NativeSignals.next(fd);
                if (sig < 0) {
                    Log.err("Signal pipe closed");
                    return;
                }
                post(NativeSignals.name(sig));
            }
        }, "jstunnel-signals");
        t.setDaemon(true);
        t.start();
    }

    /** Next signal name ("HUP", "TERM", …), or null after the timeout. */
    String take(long millis) throws InterruptedException {
        String s = queue.poll(millis, TimeUnit.MILLISECONDS);
        if (s != null) waiting.remove(s);
        return s;
    }

    void post(String name) {
        if (waiting.add(name)) queue.add(name);
    }
}
