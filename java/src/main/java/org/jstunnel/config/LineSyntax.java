package org.jstunnel.config;

/** The character rules of stunnel's line reader (options.c options_file, file.c file_getline). */
final class LineSyntax {
    static final char BOM = '\uFEFF';

    private LineSyntax() {}

    /** C isspace() in the "C" locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    static String trim(String s) {
        int b = 0, e = s.length();
        while (b < e && isSpace(s.charAt(b))) b++;
        while (e > b && isSpace(s.charAt(e - 1))) e--;
        return s.substring(b, e);
    }

    static String trimTrailing(String s) {
        int e = s.length();
        while (e > 0 && isSpace(s.charAt(e - 1))) e--;
        return s.substring(0, e);
    }

    static String trimLeading(String s) {
        int b = 0;
        while (b < s.length() && isSpace(s.charAt(b))) b++;
        return s.substring(b);
    }
}
