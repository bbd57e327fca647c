package org.jstunnel.log;

/** A destination of configured log lines. */
interface LogSink extends AutoCloseable {
    /**
     * @param line  the whole line: {@code 2024.01.02 03:04:05 LOG5[0]: text}
     * @param id    {@code LOG5[0]}
     * @param text  the message alone
     */
    void write(int level, String line, String id, String text);

    /** SIGUSR1: close and reopen (log rotation). */
    default void reopen() {}

    @Override
    default void close() {}
}
