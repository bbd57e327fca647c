package org.jstunnel;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Unix signals as a queue the main thread takes from, like stunnel's signal pipe: handlers only
 * enqueue, so reloads and shutdown run on one thread in order.
 */
final class SignalQueue {
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    /** Installs handlers for stunnel's signals. QUIT is re-raised as TERM natively: the JVM keeps QUIT. */
    void install() {
        org.jstunnel.os.NativeSignals.forward(org.jstunnel.os.NativeSignals.SIGQUIT, org.jstunnel.os.NativeSignals.SIGTERM);
        for (String name : new String[] {"HUP", "TERM", "INT", "USR1", "USR2"}) {
            try {
                Signal.handle(new Signal(name), s -> queue.add(s.getName()));
            } catch (IllegalArgumentException e) {
                // the JVM reserves it (e.g. under -Xrs): it keeps its default action
            }
        }
    }

    /** Next signal name ("HUP", "TERM", …), or null after the timeout. */
    String take(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    void post(String name) { queue.add(name); }
}
