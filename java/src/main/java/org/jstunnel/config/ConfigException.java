package org.jstunnel.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A configuration stunnel would refuse. {@link #getMessage()} is the line stunnel logs for the fault,
 * {@code FILE:LINE: "LINE AS WRITTEN": REASON} or {@code Service [NAME]: REASON} (also
 * {@code Global options: ...}, {@code Inetd mode: ...}); secrets in the echoed line are masked.
 * {@link #logLines()} is everything stunnel logs at LOG_ERR for it, in order (e.g. the faulty line of an
 * included file followed by {@code "include = DIR": Failed to include a file}); log each, then
 * "Configuration failed".
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;
    private final transient List<String> logLines;

    ConfigException(String message, String file, int line, List<String> logLines) {
        super(message, null, false, false);
        this.file = file;
        this.line = line;
        this.logLines = List.copyOf(logLines);
    }

    /** A fault on one line; {@code details} are logged before it. */
    static ConfigException atLine(Origin at, String reason, List<String> details) {
        String msg = at.file() + ":" + at.line() + ": \"" + at.text() + "\": " + reason;
        List<String> lines = new ArrayList<>(details);
        lines.add(msg);
        return new ConfigException(msg, at.file(), at.line(), lines);
    }

    static ConfigException atLine(Origin at, String reason) {
        return atLine(at, reason, List.of());
    }

    /** A fault found when a section ends: {@code PREFIX: REASON}. */
    static ConfigException section(String prefix, String reason) {
        String msg = prefix + ": " + reason;
        return new ConfigException(msg, null, 0, List.of(msg));
    }

    /** A fault outside any line (the file itself cannot be read). */
    static ConfigException general(List<String> lines) {
        return new ConfigException(lines.get(0), null, 0, lines);
    }

    /** This fault, followed by one more line stunnel logs for the line that led to it (an include). */
    ConfigException then(String outerLine) {
        List<String> lines = new ArrayList<>(logLines);
        lines.add(outerLine);
        return new ConfigException(getMessage(), file, line, lines);
    }

    /** The file named in the message, or null for a section-level or file-level fault. */
    public String file() {
        return file;
    }

    /** The 1-based line named in the message, or 0. */
    public int line() {
        return line;
    }

    /** Every line to log at LOG_ERR, in stunnel's order; contains {@link #getMessage()}. */
    public List<String> logLines() {
        return logLines;
    }
}
