package org.jstunnel.ssl;

/**
 * The JNI binding of OCSP stapling (stunnel 5.75's ocsp.c, native/jst_stapling.c): one static native
 * per OpenSSL call or per stunnel routine that only makes OpenSSL calls. Conventions as {@link NativeTls}.
 */
final class NativeOcsp {
    private NativeOcsp() {}

    // V_OCSP_CERTSTATUS_*, and what OCSP_response_check returns for a responder's error
    static final int GOOD = 0;
    static final int REVOKED = 1;
    static final int UNKNOWN = 2;
    static final int RESPONDER_ERROR = -2;
    // OCSP_TRUSTOTHER: stunnel checks its own staple with it
    static final long OCSP_TRUSTOTHER = 0x200L;

    /**
     * SSL_CTX_set_tlsext_status_cb: a server staples what {@link SslCallbacks#ocspStaple()} returns; a
     * client (which then asks every server for a staple, SSL_CTX_set_tlsext_status_type) hands the
     * answer to {@link SslCallbacks#ocspStapled}.
     */
    static native void SSL_CTX_set_tlsext_status_cb(long ctx, boolean server) throws OpenSslException;

    /** The DER OCSP request (no nonce) for the context's certificate, its issuer from the chain or the store. */
    static native byte[] OCSP_stapling_request(long ctx) throws OpenSslException;

    /** The AIA OCSP URLs of the context's certificate ({@code ssl} 0) or of the verified peer leaf; null: no AIA. */
    static native String[] X509_get1_ocsp(long ctx, long ssl);

    /**
     * ocsp_response_validate's OpenSSL part for the leaf: decode, responder status, OCSP_basic_verify
     * against the chain and the context's store, OCSP_resp_find_status. The chain is the verify
     * callback's ({@code storeCtx}), else the SSL's verified chain ({@code ssl}), else the context's own
     * (certificate, chain, trusted root). {@code der} null: the SSL's staple.
     * @return null when there is no staple; else {status, reason, thisUpdate, nextUpdate, revokedAt}
     *     (epoch seconds, -1 when absent), or {RESPONDER_ERROR, OCSP response status}
     */
    static native long[] OCSP_response_check(long ctx, long ssl, long storeCtx, byte[] der, long flags)
            throws OpenSslException;

    /** OCSP_check_validity(thisUpdate, nextUpdate (-1: none), leeway, -1); throws with OpenSSL's reason. */
    static native void OCSP_check_validity(long thisUpdate, long nextUpdate, long leewaySeconds) throws OpenSslException;
}
