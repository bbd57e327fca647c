package org.jstunnel.conn;

/** stunnel's TIMEOUT* options of a service, in seconds. */
public record Timeouts(int busy, int close, int connect, int idle) {}
