package org.jstunnel.ssl;

/** Upcalls from OpenSSL callbacks into Java, where the policy lives. Called on the handshaking thread. */
public interface SslCallbacks {
    /**
     * OpenSSL's verify callback for one certificate of the peer's chain.
     * @param storeCtx the X509_STORE_CTX, valid only during this call (see NativeSsl.X509_*)
     * @return true to accept this certificate
     */
    boolean verify(boolean preverifyOk, int depth, int error, long storeCtx);

    /** A log line from native code (a syslog level), in the connection's context. */
    default void log(int level, String message) {}

    /**
     * Server side SNI: the name the client asked for (its bytes; null if it sent none).
     * @return {@link NativeTls#SERVERNAME_NO_SWITCH}, {@link NativeTls#SERVERNAME_NOACK}, or the
     *     SSL_CTX to switch to (kept alive by the callee for the connection's lifetime)
     */
    default long servername(byte[] name) { return NativeTls.SERVERNAME_NO_SWITCH; }

    /** Client side: a new session to cache (the callee takes its own reference). */
    default void newSession(long session) {}

    /** PSK server: the key for this identity, or null. */
    default byte[] pskServerKey(byte[] identity) { return null; }

    /** OCSP stapling, server: the DER response to staple, or null for none. */
    default byte[] ocspStaple() { return null; }

    /** OCSP stapling, client: the status callback ({@code ssl} has the staple, if any); false fails the handshake. */
    default boolean ocspStapled(long ssl, boolean reused) { return true; }

    /** PSK client: identity bytes, a 0 byte, then the key; or null. */
    default byte[] pskClient() { return null; }
}
