package org.jstunnel.protocol;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.jstunnel.log.Log;

/**
 * CapWIN's credentials: set by a {@code capwinctrl} connection, used by every {@code capwin} client
 * connection of the process (stunnel's global capwin_auth), and the request format both use:
 * {@code CMD US USER US PASSWORD US CTRL FS} (US = 0x1f, FS = 0x1c).
 */
final class CapwinCredentials {
    static final int BUFFER = 100; // stunnel's CAPWIN_BUFFER_SIZE
    private static final AtomicReference<String> CURRENT = new AtomicReference<>();

    private CapwinCredentials() {}

    static void set(String request) { CURRENT.set(request); }

    static String get() { return CURRENT.get(); }

    /** The four fields, or null (logged as stunnel's "Malformed credentials (N)"). */
    static String[] decode(String src) {
        int us1 = src.indexOf('\u001f');
        if (us1 < 0) return malformed(1);
        int us2 = src.indexOf('\u001f', us1 + 1);
        if (us2 < 0) return malformed(2);
        int us3 = src.indexOf('\u001f', us2 + 1);
        if (us3 < 0) return malformed(3);
        int fs = src.indexOf('\u001c', us3 + 1);
        if (fs < 0) return malformed(4);
        return new String[] {src.substring(0, us1), src.substring(us1 + 1, us2), src.substring(us2 + 1, us3),
            src.substring(us3 + 1, fs)};
    }

    private static String[] malformed(int n) {
        Log.err("CapWIN: Malformed credentials (" + n + ")");
        return null;
    }

    static String text(byte[] b, int len) {
        int end = 0;
        while (end < len && b[end] != 0) end++; // a C string: up to the first NUL
        return new String(b, 0, end, StandardCharsets.ISO_8859_1);
    }
}
