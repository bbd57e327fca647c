package org.jstunnel.os;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Locale;
import java.util.Map;

/** The C library calls Java lacks, through JNA. Later: setuid, setgid, chroot, pty, socket options. */
public final class LibC {
    private LibC() {}

    private interface C extends Library {
        void openlog(Pointer ident, int option, int facility);
        void syslog(int priority, String format, String arg);
        void closelog();
    }

    private static final class Holder {
        static final C C = Native.load("c", C.class);
    }

    private static final int LOG_PID = 0x01, LOG_NDELAY = 0x08;
    private static final Map<String, Integer> FACILITIES = Map.ofEntries(
        Map.entry("kern", 0), Map.entry("user", 1 << 3), Map.entry("mail", 2 << 3), Map.entry("daemon", 3 << 3),
        Map.entry("auth", 4 << 3), Map.entry("syslog", 5 << 3), Map.entry("lpr", 6 << 3), Map.entry("news", 7 << 3),
        Map.entry("uucp", 8 << 3), Map.entry("cron", 9 << 3), Map.entry("authpriv", 10 << 3), Map.entry("ftp", 11 << 3),
        Map.entry("local0", 16 << 3), Map.entry("local1", 17 << 3), Map.entry("local2", 18 << 3),
        Map.entry("local3", 19 << 3), Map.entry("local4", 20 << 3), Map.entry("local5", 21 << 3),
        Map.entry("local6", 22 << 3), Map.entry("local7", 23 << 3));

    // openlog keeps the pointer: it must outlive every syslog call
    private static Memory ident;

    /** Facility code for a name; -1 if unknown. */
    public static int facility(String name) {
        return FACILITIES.getOrDefault(name.toLowerCase(Locale.ROOT), -1);
    }

    public static synchronized void openlog(String name, String facility) {
        Memory m = new Memory(name.length() * 4L + 1);
        m.setString(0, name, "UTF-8");
        int f = facility(facility);
        Holder.C.openlog(m, LOG_PID | LOG_NDELAY, f < 0 ? 3 << 3 : f);
        ident = m;
    }

    public static void syslog(int level, String message) {
        Holder.C.syslog(level, "%s", message); // never pass a peer-influenced string as the format
    }

    public static synchronized void closelog() {
        Holder.C.closelog();
    }
}
