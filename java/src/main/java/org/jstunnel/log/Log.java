package org.jstunnel.log;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * stunnel's logger. Until the configuration is loaded, lines are buffered; then they are either
 * written to the configured sinks ({@link #configured}) or, when the configuration failed, printed
 * to stderr in stunnel's error form {@code [!] text} ({@link #flushAsErrors}).
 */
public final class Log {
    private Log() {}

    private record Pending(int level, String stamp, String id, String text) {}

    private static final ThreadLocal<LogContext> CONTEXT = new ThreadLocal<>();
    private static volatile LogContext uiContext = LogContext.ui(LogLevel.NOTICE);
    private static volatile List<LogSink> sinks = List.of();
    private static final List<Pending> pending = new ArrayList<>();
    private static volatile boolean configured;
    private static volatile boolean toStderr;

    /** Runs {@code body} with the given context for this thread (a connection's id and level). */
    public static void setContext(LogContext ctx) { CONTEXT.set(ctx); }
    public static void clearContext() { CONTEXT.remove(); }
    public static LogContext context() {
        LogContext c = CONTEXT.get();
        return c != null ? c : uiContext;
    }

    public static boolean enabled(int level) { return level <= context().level(); }

    public static void log(int level, String text) {
        LogContext ctx = context();
        if (configured && level > ctx.level()) return; // filtered: don't build what nobody reads
        String id = "LOG" + level + "[" + ctx.id() + "]";
        String stamp = stamp();
        if (!configured) {
            synchronized (pending) {
                if (!configured) { pending.add(new Pending(level, stamp, id, text)); return; }
            }
        }
        if (level > ctx.level()) return;
        emit(level, stamp, id, safe(text));
    }

    private static void emit(int level, String stamp, String id, String text) {
        String line = stamp + " " + id + ": " + text;
        for (LogSink s : sinks) s.write(level, line, id, text);
    }

    public static void emerg(String t) { log(LogLevel.EMERG, t); }
    public static void err(String t) { log(LogLevel.ERR, t); }
    public static void warning(String t) { log(LogLevel.WARNING, t); }
    public static void notice(String t) { log(LogLevel.NOTICE, t); }
    public static void info(String t) { log(LogLevel.INFO, t); }
    public static void debug(String t) { log(LogLevel.DEBUG, t); }

    /** Settings of the global section that shape logging. */
    public record Settings(int level, String facility, Path output, boolean append, boolean syslog,
                           boolean stderr, String ident) {}

    /**
     * Opens the sinks and writes the buffered lines to them. Called once the configuration is valid,
     * and again on reload (sinks are replaced).
     */
    public static synchronized void configure(Settings s) throws IOException {
        List<LogSink> next = new ArrayList<>();
        if (s.output() != null) next.add(new FileSink(s.output(), s.append()));
        if (s.syslog()) next.add(new SyslogSink(s.ident(), s.facility()));
        if (s.stderr()) next.add(new StderrSink());
        toStderr = s.stderr();
        List<LogSink> old = sinks;
        sinks = List.copyOf(next);
        uiContext = LogContext.ui(s.level());
        for (LogSink o : old) o.close();
        synchronized (pending) {
            configured = true;
            for (Pending p : pending) if (p.level() <= s.level()) emit(p.level(), p.stamp(), p.id(), safe(p.text()));
            pending.clear();
        }
    }

    /** Connects to syslog before a chroot hides /dev/log (stunnel's log_open(SINK_SYSLOG) before change_root). */
    public static void openSyslogEarly(String ident, String facility) { SyslogSink.open(ident, facility); }

    /** Whether the log goes to stderr (stunnel's log_stderr, {@code foreground = yes}): an exec program then keeps it. */
    public static boolean logsToStderr() { return toStderr; }

    /** The configuration failed: print what was buffered as {@code [!] text} on stderr, as stunnel does. */
    public static void flushAsErrors() {
        synchronized (pending) {
            // every buffered line, as stunnel's error mode does: "[ ]" marks info and debug
            for (Pending p : pending) {
                System.err.println("[" + "***!:.  ".charAt(p.level()) + "] " + safe(p.text()));
            }
            pending.clear();
        }
        System.err.flush();
    }

    /** SIGUSR1. */
    public static void reopen() {
        for (LogSink s : sinks) s.reopen();
    }

    public static synchronized void close() {
        for (LogSink s : sinks) s.close();
        sinks = List.of();
    }

    private record Stamp(long second, String text) {}

    private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    /** "yyyy.MM.dd HH:mm:ss", built once per second: String.format on every line showed in profiles. */
    private static String stamp() {
        long now = System.currentTimeMillis();
        long second = Math.floorDiv(now, 1000L);
        Stamp s = lastStamp;
        if (s.second() == second) return s.text();
        LocalDateTime t = LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(now), java.time.ZoneId.systemDefault());
        StringBuilder b = new StringBuilder(19);
        pad(b, t.getYear(), 4).append('.');
        pad(b, t.getMonthValue(), 2).append('.');
        pad(b, t.getDayOfMonth(), 2).append(' ');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2);
        String text = b.toString();
        lastStamp = new Stamp(second, text);
        return text;
    }

    private static StringBuilder pad(StringBuilder b, int v, int width) {
        String d = Integer.toString(v);
        for (int i = d.length(); i < width; i++) b.append('0');
        return b.append(d);
    }

    /** Control characters would let a peer forge log lines: replace them with '.', as stunnel does. */
    static String safe(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (b == null) b = new StringBuilder(text);
                b.setCharAt(i, '.');
            }
        }
        return b == null ? text : b.toString();
    }
}
