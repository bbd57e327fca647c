package org.jstunnel.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reading and searching a stunnel-format log file. */
public final class Logs {
    private Logs() {
    }

    /** All complete lines of the file in stunnel's format (anything else, like a partial last line, is skipped). */
    public static List<LogLine> read(Path file) {
        String text = ManagedProcess.readQuietly(file);
        int end = text.lastIndexOf('\n');
        List<LogLine> out = new ArrayList<>();
        if (end < 0) {
            return out;
        }
        for (String raw : text.substring(0, end).split("\n", -1)) {
            LogLine.parse(raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw).ifPresent(out::add);
        }
        return out;
    }

    public static List<LogLine> matching(List<LogLine> lines, Pattern p) {
        return lines.stream().filter(l -> l.matches(p)).toList();
    }

    public static Optional<LogLine> first(List<LogLine> lines, Pattern p) {
        return lines.stream().filter(l -> l.matches(p)).findFirst();
    }

    /** Lines of one connection (same {@code [ID]}). */
    public static List<LogLine> ofConnection(List<LogLine> lines, String id) {
        return lines.stream().filter(l -> l.id().equals(id)).toList();
    }

    /**
     * Waits until {@code count} lines from index {@code from} on match {@code p}; fails if they do not
     * appear within {@code timeout} or if {@code alive} reports the writer died.
     */
    public static List<LogLine> await(Path file, int from, Pattern p, int count, Duration timeout,
                                      java.util.function.BooleanSupplier alive) {
        Deadline deadline = Deadline.after(timeout);
        while (true) {
            List<LogLine> all = read(file);
            List<LogLine> hits = matching(all.subList(Math.min(from, all.size()), all.size()), p);
            if (hits.size() >= count) {
                return hits;
            }
            if (deadline.expired() || !alive.getAsBoolean()) {
                // one more read: the line may have been written just before the process exited
                all = read(file);
                hits = matching(all.subList(Math.min(from, all.size()), all.size()), p);
                if (hits.size() >= count) {
                    return hits;
                }
                throw new AssertionError("expected " + count + " log line(s) matching /" + p + "/ after line " + from
                        + (alive.getAsBoolean() ? " within " + timeout : " but the process exited")
                        + ", found " + hits.size() + " (the log is in the diagnostics)");
            }
            deadline.pause();
        }
    }

    public static String render(List<LogLine> lines) {
        return lines.stream().map(LogLine::raw).collect(Collectors.joining("\n"));
    }
}
