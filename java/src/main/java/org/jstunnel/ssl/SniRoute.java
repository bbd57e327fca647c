package org.jstunnel.ssl;

import java.util.Locale;

/**
 * One {@code sni = MASTER:PATTERN} slave of a master service: the pattern, the slave's context, and
 * the slave itself (what the connection continues with, opaque here).
 */
public record SniRoute(String pattern, SslContext context, Object target) {
    /** stunnel's matches_wildcard: case-insensitive; a leading '*' matches any prefix (even an empty one). */
    public static boolean matches(String servername, String pattern) {
        if (servername == null || pattern == null) return false;
        String name = servername.toLowerCase(Locale.ROOT);
        String pat = pattern.toLowerCase(Locale.ROOT);
        if (pat.startsWith("*")) {
            String suffix = pat.substring(1);
            return name.length() >= suffix.length() && name.endsWith(suffix);
        }
        return name.equals(pat);
    }
}
