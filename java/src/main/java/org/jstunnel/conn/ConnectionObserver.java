package org.jstunnel.conn;

/**
 * What a connection reports about itself, for metrics. Called on the connection's own threads, so
 * an implementation must not block or lock (counters only). {@link #NONE} when metrics are off.
 */
public interface ConnectionObserver {
    /** The connection was accepted (or an exec+connect round started). */
    void opened();

    /** The TLS handshake completed after {@code nanos}; {@code resumed}: a session was reused. */
    void handshakeDone(boolean resumed, long nanos);

    /**
     * The connection ended ("Connection closed/reset" was logged).
     *
     * @param failure what ended it, null for a clean end
     * @param timedOut the TIMEOUT* option that ended it, or null
     * @param inHandshake whether it failed during the TLS handshake
     * @param toTls bytes sent to TLS (stunnel's closing line)
     * @param toSocket bytes sent to the socket
     */
    void ended(Exception failure, String timedOut, boolean inHandshake, long toTls, long toSocket);

    ConnectionObserver NONE = new ConnectionObserver() {
        @Override public void opened() {}
        @Override public void handshakeDone(boolean resumed, long nanos) {}
        @Override public void ended(Exception failure, String timedOut, boolean inHandshake, long toTls, long toSocket) {}
    };
}
