package org.jstunnel.ssl;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeping PINs out of log lines: an engine control command's parameter when the command names a
 * PIN or password, and RFC 7512's {@code pin-value} attribute of a {@code pkcs11:} URI (a key or
 * certificate identifier may carry one).
 */
public final class Secrets {
    public static final String MASK = "********";
    private static final Pattern PIN_VALUE = Pattern.compile("(?i)(pin-value=)[^;&?]*");

    private Secrets() {}

    /** PIN, SO_PIN, PASSWORD, PASSPHRASE, ...SECRET...: control commands whose parameter is a secret. */
    public static boolean sensitive(String command) {
        String n = command.toUpperCase(Locale.ROOT);
        return n.contains("PIN") || n.contains("PASS") || n.contains("SECRET");
    }

    /** {@code CMD:ARG} with ARG masked when CMD is {@link #sensitive}; {@code CMD} when there is no ARG. */
    public static String controlCommand(String command, String arg) {
        if (arg == null) return command;
        return command + ":" + (sensitive(command) ? MASK : arg);
    }

    /** An identifier (file name or URI) with any {@code pin-value} masked. */
    public static String identifier(String id) {
        return id == null ? null : PIN_VALUE.matcher(id).replaceAll("$1" + MASK);
    }
}
