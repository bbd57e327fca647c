package org.jstunnel.metrics;

import java.io.EOFException;
import java.util.List;
import java.util.Locale;
import org.jstunnel.net.ConnectFailedException;
import org.jstunnel.ssl.OpenSslException;

/** How a connection ended and why a handshake failed, as bounded label values. */
final class Endings {
    static final String CLOSED = "closed";
    static final String ERROR = "error";
    static final String TIMEOUT = "timeout";
    static final String HANDSHAKE_FAILED = "handshake_failed";
    static final String CONNECT_FAILED = "connect_failed";
    static final java.util.List<String> ALL = java.util.List.of(CLOSED, ERROR, TIMEOUT, HANDSHAKE_FAILED, CONNECT_FAILED);

    private Endings() {}

    static String how(Exception failure, String timedOut, boolean inHandshake) {
        if (inHandshake && (failure != null || timedOut != null)) return HANDSHAKE_FAILED;
        if (timedOut != null) return TIMEOUT;
        if (failure == null) return CLOSED;
        if (failure instanceof ConnectFailedException) return CONNECT_FAILED;
        return ERROR;
    }

    /**
     * OpenSSL's reason string in label form ({@code error:0A000418:SSL routines::tlsv1 alert unknown
     * ca} gives {@code tlsv1_alert_unknown_ca}: a fixed set, so the label stays bounded), or
     * timeout, peer_disconnected, io_error.
     */
    static String handshakeReason(Exception failure, String timedOut) {
        if (timedOut != null) return TIMEOUT;
        if (failure instanceof EOFException) return "peer_disconnected";
        if (failure instanceof OpenSslException e) {
            List<String> q = e.queue();
            if (q.isEmpty()) return "openssl";
            String reason = reasonOf(q.get(0)).toLowerCase(Locale.ROOT);
            reason = reason.replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
            return reason.isEmpty() ? "openssl" : reason;
        }
        return "io_error";
    }

    /** ERR_error_string_n's {@code error:CODE:LIB:FUNC:REASON}, maybe followed by {@code :DATA}. */
    private static String reasonOf(String line) {
        int at = line.indexOf("error:");
        if (at < 0) return line;
        String[] parts = line.substring(at).split(":", 6);
        return parts.length >= 5 ? parts[4] : parts[parts.length - 1];
    }
}
