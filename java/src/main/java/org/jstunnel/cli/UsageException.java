package org.jstunnel.cli;

import java.util.List;

/**
 * The command line cannot be used. {@link #lines()} is everything stunnel logs for this case from the
 * point its command-line handling starts (the error, the syntax, and for {@code -fd} with a
 * non-number the configuration-reading lines around it), in order, each with its level; the caller
 * logs them and flushes the log in stunnel's error form ({@code [!] text}), then exits with
 * {@link #exitCode()}. {@link #getMessage()} is the error itself, e.g. "No file descriptor specified".
 */
public final class UsageException extends Exception {
    private final List<LogLine> lines;
    private final int exitCode;

    public UsageException(String message, List<LogLine> lines) {
        this(message, lines, 1);
    }

    public UsageException(String message, List<LogLine> lines, int exitCode) {
        super(message);
        this.lines = List.copyOf(lines);
        this.exitCode = exitCode;
    }

    public List<LogLine> lines() { return lines; }

    /** stunnel exits with 1 for every command-line error. */
    public int exitCode() { return exitCode; }
}
