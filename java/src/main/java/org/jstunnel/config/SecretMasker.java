package org.jstunnel.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** Rewrites a configuration line so that no secret it carries can reach a log or an exception. */
final class SecretMasker {
    static final String MASK = "****";
    /** RFC 7512's pin-value attribute, in a pkcs11: URI of any option (cert, key, CAfile, ...). */
    private static final Pattern PIN_VALUE = Pattern.compile("(?i)(pin-value=)[^&;\\s]*");

    private SecretMasker() {}

    /** The line with the secret part of its value replaced by {@value #MASK}; other lines unchanged. */
    static String maskLine(String line) {
        line = PIN_VALUE.matcher(line).replaceAll("$1" + MASK);
        int eq = line.indexOf('=');
        int nameStart = skipSpace(line, 0);
        if (nameStart < line.length() && line.charAt(nameStart) == '\uFEFF') nameStart = skipSpace(line, nameStart + 1);
        int nameEnd, valueStart;
        if (eq >= 0) {
            nameEnd = eq;
            valueStart = eq + 1;
        } else { // "No '=' found": the first word may still be a secret option's name
            nameEnd = nameStart;
            while (nameEnd < line.length() && !LineSyntax.isSpace(line.charAt(nameEnd))) nameEnd++;
            valueStart = nameEnd;
        }
        if (nameStart > nameEnd) return line;
        OptionSpec spec = OptionTable.find(line.substring(nameStart, nameEnd).strip());
        if (spec == null || spec.secrecy() == Secrecy.NONE) return line;
        int v = skipSpace(line, valueStart);
        String value = LineSyntax.trim(line.substring(v));
        if (value.isEmpty()) return line;
        String head = line.substring(0, v);
        return switch (spec.secrecy()) {
            case VALUE -> head + MASK;
            case COMMAND_PARAMETER -> {
                int colon = value.indexOf(':');
                yield colon >= 0 && sensitive(value.substring(0, colon))
                        ? head + value.substring(0, colon + 1) + MASK : line;
            }
            case NAMED_PARAMETER -> {
                int colon = value.indexOf(':');
                int assign = colon < 0 ? -1 : value.indexOf('=', colon + 1);
                yield assign >= 0 && sensitive(value.substring(colon + 1, assign))
                        ? head + value.substring(0, assign + 1) + MASK : line;
            }
            case NONE -> line;
        };
    }

    /** PIN, SO_PIN, PASSWORD, PASSPHRASE, ...SECRET...: names whose parameter is a secret. */
    static boolean sensitive(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.contains("PIN") || n.contains("PASS") || n.contains("SECRET");
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && LineSyntax.isSpace(s.charAt(i))) i++;
        return i;
    }
}
