package org.jstunnel.net;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

/** Socket errors in stunnel's words: {@code Connection refused (111)}. */
public final class Errors {
    private Errors() {}

    public static String describe(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SocketTimeoutException) return "Connection timed out (110)";
        if (e instanceof ConnectException && m.startsWith("Connection refused")) return "Connection refused (111)";
        if (m.startsWith("Connection reset")) return "Connection reset by peer (104)";
        if (m.startsWith("Broken pipe")) return "Broken pipe (32)";
        if (m.startsWith("Address already in use")) return "Address already in use (98)";
        if (m.startsWith("Permission denied")) return "Permission denied (13)";
        if (m.startsWith("Cannot assign requested address")) return "Cannot assign requested address (99)";
        if (m.startsWith("No route to host")) return "No route to host (113)";
        if (m.startsWith("Network is unreachable")) return "Network is unreachable (101)";
        return m;
    }

    /** EPIPE or ECONNRESET: the peer closed its socket (OpenSSL's conn_is_closed). */
    public static boolean peerClosed(Exception e) {
        String m = e.getMessage();
        return m != null && (m.startsWith("Connection reset") || m.startsWith("Broken pipe"));
    }
}
