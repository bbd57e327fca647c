package org.jstunnel.log;

/**
 * Who is logging: the id in {@code LOG5[id]} ("ui" for the main thread, a connection number for a
 * connection) and the {@code debug} level of its service, which may differ per service.
 */
public record LogContext(String id, int level) {
    public static LogContext ui(int level) { return new LogContext("ui", level); }
}
