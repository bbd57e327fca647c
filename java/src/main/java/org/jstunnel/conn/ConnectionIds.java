package org.jstunnel.conn;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * stunnel's log_id: the {@code [ID]} of a connection's log lines, by {@code logId} type.
 * {@code sequential}: a number per connection, unique within this process; {@code unique}: 22
 * random characters of [0-9a-zA-Z]; {@code thread}: the id of the thread that runs the connection
 * (a Java thread id: jstunnel runs connections on virtual threads, not one OS thread each);
 * {@code process}: the process id.
 */
public final class ConnectionIds {
    private ConnectionIds() {}

    private static final AtomicLong NEXT = new AtomicLong();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] TABLE =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    /** The next sequential number (stunnel's c->seq, taken for every connection whatever the type). */
    static long nextSequence() { return NEXT.getAndIncrement(); }

    static String next() { return Long.toString(nextSequence()); }

    /** The id for a connection with sequence number {@code seq}, on the calling thread. */
    public static String of(String type, long seq) {
        if (type == null) return Long.toString(seq);
        return switch (type) {
            case "unique" -> unique();
            case "thread" -> Long.toString(Thread.currentThread().threadId());
            case "process" -> Long.toString(ProcessHandle.current().pid());
            default -> Long.toString(seq);
        };
    }

    /** log.c: 22 characters, each uniformly from 62 (6 random bits, 62 and 63 drawn again). */
    static String unique() {
        char[] id = new char[22];
        byte[] one = new byte[1];
        for (int i = 0; i < id.length; i++) {
            int v;
            do {
                RANDOM.nextBytes(one);
                v = one[0] & 63;
            } while (v >= 62);
            id[i] = TABLE[v];
        }
        return new String(id);
    }
}
