package org.jstunnel.ssl;

/** Upcalls from OpenSSL callbacks into Java, where the policy lives. Called on the handshaking thread. */
public interface SslCallbacks {
    /**
     * OpenSSL's verify callback for one certificate of the peer's chain.
     * @param storeCtx the X509_STORE_CTX, valid only during this call (see NativeSsl.X509_*)
     * @return true to accept this certificate
     */
    boolean verify(boolean preverifyOk, int depth, int error, long storeCtx);
}
