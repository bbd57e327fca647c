package org.jstunnel.conn;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * stunnel's timeouts for every live connection, checked once a second by one thread: cheaper than a
 * timer per connection, and a blocked read is ended by closing its channel.
 */
public final class Watchdog {
    private static final Set<Connection> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile Thread thread;

    private Watchdog() {}

    static void add(Connection c) {
        LIVE.add(c);
        ensureStarted();
    }

    static void remove(Connection c) { LIVE.remove(c); }

    /** Connections currently established or being set up. */
    public static int liveCount() { return LIVE.size(); }

    public static Set<Connection> live() { return Set.copyOf(LIVE); }

    private static synchronized void ensureStarted() {
        if (thread != null) return;
        thread = Thread.ofPlatform().name("jstunnel-watchdog").daemon(true).start(Watchdog::loop);
    }

    private static void loop() {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection c : LIVE) c.checkTimeout(now);
        }
    }
}
