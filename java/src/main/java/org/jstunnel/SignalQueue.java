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

    /** Installs handlers for stunnel's signals. QUIT needs the JVM started with -Xrs (bin/jstunnel does). */
    void install() {
        for (String name : new String[] {"HUP", "TERM", "INT", "QUIT", "USR1", "USR2"}) {
            try {
                Signal.handle(new Signal(name), s -> queue.add(s.getName()));
            } catch (IllegalArgumentException e) {
                // the JVM reserves this one (QUIT without -Xrs): it keeps its default meaning
            }
        }
    }

    /** Next signal name ("HUP", "TERM", …), or null after the timeout. */
    String take(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    void post(String name) { queue.add(name); }
}
