package org.jstunnel.log;

import java.util.Locale;
import java.util.Map;
import org.jstunnel.os.NativeSyslog;

/** {@code syslog = yes}: through the C library's syslog(3), as stunnel does, ident = the {@code service} option. */
final class SyslogSink implements LogSink {
    private static final int DAEMON = 3 << 3;
    private static final Map<String, Integer> FACILITIES = Map.ofEntries(
        Map.entry("kern", 0), Map.entry("user", 1 << 3), Map.entry("mail", 2 << 3), Map.entry("daemon", DAEMON),
        Map.entry("auth", 4 << 3), Map.entry("syslog", 5 << 3), Map.entry("lpr", 6 << 3), Map.entry("news", 7 << 3),
        Map.entry("uucp", 8 << 3), Map.entry("cron", 9 << 3), Map.entry("authpriv", 10 << 3), Map.entry("ftp", 11 << 3),
        Map.entry("local0", 16 << 3), Map.entry("local1", 17 << 3), Map.entry("local2", 18 << 3),
        Map.entry("local3", 19 << 3), Map.entry("local4", 20 << 3), Map.entry("local5", 21 << 3),
        Map.entry("local6", 22 << 3), Map.entry("local7", 23 << 3));

    // The newest sink owns the C library's connection: a reload opens the new sink before closing
    // the old one, and the old one's closelog must not cut the new one's connection (inside a chroot
    // jail /dev/log cannot be reached again).
    private static int generation;
    private final int mine;

    SyslogSink(String ident, String facility) {
        synchronized (SyslogSink.class) {
            open(ident, facility);
            mine = ++generation;
        }
    }

    /** openlog with LOG_NDELAY: connects to /dev/log now; another openlog keeps the connection. */
    static synchronized void open(String ident, String facility) {
        // the configuration accepted only known names; daemon is stunnel's default
        int f = FACILITIES.getOrDefault(facility.toLowerCase(Locale.ROOT), DAEMON);
        NativeSyslog.openlog(ident, NativeSyslog.LOG_PID | NativeSyslog.LOG_NDELAY, f);
    }

    @Override
    public void write(int level, String line, String id, String text) {
        NativeSyslog.syslog(level, id + ": " + text);
    }

    @Override
    public void close() {
        synchronized (SyslogSink.class) {
            if (mine == generation) NativeSyslog.closelog();
        }
    }
}
