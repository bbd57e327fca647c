package org.jstunnel.log;

import java.util.Locale;

/** syslog levels as stunnel's {@code debug} option names them: emerg (0) … debug (7). */
public final class LogLevel {
    private LogLevel() {}

    public static final int EMERG = 0, ALERT = 1, CRIT = 2, ERR = 3, WARNING = 4, NOTICE = 5, INFO = 6, DEBUG = 7;

    private static final String[] NAMES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    /** "5", "notice", "daemon.info" (facility ignored here) → level; -1 if not a level. */
    public static int parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int dot = v.indexOf('.');
        if (dot >= 0) v = v.substring(dot + 1);
        if (v.length() == 1 && v.charAt(0) >= '0' && v.charAt(0) <= '7') return v.charAt(0) - '0';
        for (int i = 0; i < NAMES.length; i++) if (NAMES[i].equals(v)) return i;
        return -1;
    }

    /** The syslog facility of a {@code debug = FACILITY.LEVEL} value, "daemon" when none is given. */
    public static String facility(String value) {
        int dot = value.indexOf('.');
        return dot < 0 ? "daemon" : value.substring(0, dot).trim().toLowerCase(Locale.ROOT);
    }
}
