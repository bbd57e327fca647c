package org.jstunnel.it.support;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One line of stunnel's log format: {@code 2024.01.31 12:34:56 LOG5[12]: text}. */
public record LogLine(String timestamp, int level, String id, String text, String raw) {
    private static final Pattern FORMAT =
            Pattern.compile("^(\\d{4}\\.\\d{2}\\.\\d{2} \\d{2}:\\d{2}:\\d{2}) LOG([0-7])\\[([^\\]]+)\\]: (.*)$");

    public static Optional<LogLine> parse(String raw) {
        Matcher m = FORMAT.matcher(raw);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new LogLine(m.group(1), Integer.parseInt(m.group(2)), m.group(3), m.group(4), raw));
    }

    /** The text matches {@code p} in full. */
    public boolean matches(Pattern p) {
        return p.matcher(text).matches();
    }

    @Override
    public String toString() {
        return raw;
    }
}
