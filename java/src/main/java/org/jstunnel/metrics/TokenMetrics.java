package org.jstunnel.metrics;

/**
 * The figures of one token (HSM, smartcard, TPM), reported by the key code (issue 10) through
 * {@link Metrics#token(String)}. Every method is cheap and lock-free; {@link #NONE} while metrics
 * are off. Exposed as {@code jstunnel_token_*{token="LABEL"}}.
 */
public interface TokenMetrics {
    /** PKCS#11 sessions the signing pool holds open now, and its limit. */
    void sessions(int inUse, int limit);

    /** A signature was handed to the token; pair with {@link #signatureDone}. */
    void signatureStarted();

    /** A signature came back after {@code nanos}; {@code ok}: the token produced it. */
    void signatureDone(long nanos, boolean ok);

    /** A PKCS#11 call failed with {@code ckr} (e.g. {@code CKR_DEVICE_ERROR}). */
    void error(String ckr);

    /** The pool got the token back after losing it (re-login, reopened sessions). */
    void recovered();

    /** Whether one replica of the key (a token of a failover set) is usable. */
    void replica(String replica, boolean up);

    TokenMetrics NONE = new TokenMetrics() {
        @Override public void sessions(int inUse, int limit) {}
        @Override public void signatureStarted() {}
        @Override public void signatureDone(long nanos, boolean ok) {}
        @Override public void error(String ckr) {}
        @Override public void recovered() {}
        @Override public void replica(String replica, boolean up) {}
    };
}
