package org.jstunnel.config;

import java.util.List;
import java.util.Locale;

/** stunnel's syslog level and facility names (options.c parse_debug_level). */
public final class LogLevels {
    /** Level names indexed by their number: emerg(0) .. debug(7). */
    public static final List<String> LEVELS =
            List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

    /** Facilities stunnel accepts on Linux, in its order. */
    public static final List<String> FACILITIES = List.of(
            "auth", "cron", "daemon", "kern", "lpr", "mail", "news", "syslog", "user", "uucp",
            "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
            "authpriv", "ftp");

    public static final int NOTICE = 5;
    public static final int INFO = 6;
    public static final int DEBUG = 7;
    public static final int DEFAULT_LEVEL = NOTICE;
    public static final String DEFAULT_FACILITY = "daemon";

    private LogLevels() {}

    public static String levelName(int level) {
        if (level < 0 || level >= LEVELS.size()) throw new IllegalArgumentException("no log level " + level);
        return LEVELS.get(level);
    }

    /** A single digit 0..7 or a level name, case-insensitive; -1 if neither (as stunnel: "05" is not a level). */
    public static int parseLevel(String text) {
        if (text == null) return -1;
        if (text.length() == 1 && text.charAt(0) >= '0' && text.charAt(0) <= '7') return text.charAt(0) - '0';
        return LEVELS.indexOf(text.toLowerCase(Locale.ROOT));
    }

    /** Canonical (lower-case) facility name, or null if stunnel does not know it. */
    public static String parseFacility(String text) {
        String f = text.toLowerCase(Locale.ROOT);
        return FACILITIES.contains(f) ? f : null;
    }
}
