package org.jstunnel.protocol;

/** stunnel's is_prefix: a case-insensitive prefix test (strncasecmp). */
final class Text {
    private Text() {}

    static boolean isPrefix(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    static boolean isPrefixAt(String s, int offset, String prefix) {
        return s.regionMatches(true, offset, prefix, 0, prefix.length());
    }
}
