package org.jstunnel.os;

import java.util.Locale;
import java.util.Map;

/** syslog by facility name (through libjstunnel). Later: setuid, setgid, chroot, pty, socket options. */
public final class LibC {
    private LibC() {}

    private static final Map<String, Integer> FACILITIES = Map.ofEntries(
        Map.entry("kern", 0), Map.entry("user", 1 << 3), Map.entry("mail", 2 << 3), Map.entry("daemon", 3 << 3),
        Map.entry("auth", 4 << 3), Map.entry("syslog", 5 << 3), Map.entry("lpr", 6 << 3), Map.entry("news", 7 << 3),
        Map.entry("uucp", 8 << 3), Map.entry("cron", 9 << 3), Map.entry("authpriv", 10 << 3), Map.entry("ftp", 11 << 3),
        Map.entry("local0", 16 << 3), Map.entry("local1", 17 << 3), Map.entry("local2", 18 << 3),
        Map.entry("local3", 19 << 3), Map.entry("local4", 20 << 3), Map.entry("local5", 21 << 3),
        Map.entry("local6", 22 << 3), Map.entry("local7", 23 << 3));

    /** Facility code for a name; -1 if unknown. */
    public static int facility(String name) {
        return FACILITIES.getOrDefault(name.toLowerCase(Locale.ROOT), -1);
    }

    public static synchronized void openlog(String name, String facility) {
        int f = facility(facility);
        NativeSyslog.openlog(name, NativeSyslog.LOG_PID | NativeSyslog.LOG_NDELAY, f < 0 ? 3 << 3 : f);
    }

    public static void syslog(int level, String message) {
        NativeSyslog.syslog(level, message);
    }

    public static synchronized void closelog() {
        NativeSyslog.closelog();
    }
}
