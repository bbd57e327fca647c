package org.jstunnel.it.support;

import java.time.Duration;

/** Every wait in the suite is bounded by one of these. */
public final class Timeouts {
    /** From process start to {@code Accepting new connections} (a JVM start is slower than stunnel's). */
    public static final Duration STARTUP = Duration.ofSeconds(30);
    /** From SIGTERM to process exit. */
    public static final Duration SHUTDOWN = Duration.ofSeconds(10);
    /** Waiting for one expected log line, a reload or a peer's output. */
    public static final Duration LOG_LINE = Duration.ofSeconds(10);
    /** Waiting for a peer process (openssl, curl) to exit on its own. */
    public static final Duration PEER_EXIT = Duration.ofSeconds(20);
    /** Socket read timeout of the test's own clients and backends. */
    public static final Duration SOCKET_READ = Duration.ofSeconds(30);
    /** One whole transfer, including the 64 MiB ones. */
    public static final Duration TRANSFER = Duration.ofSeconds(90);
    /** Polling interval of every wait loop. */
    public static final Duration POLL = Duration.ofMillis(20);

    private Timeouts() {
    }
}
