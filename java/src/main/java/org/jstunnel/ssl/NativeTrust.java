package org.jstunnel.ssl;

/** JNI for stunnel 5.75's CAstore and CAengine (native/jst_trust.c); conventions as {@link NativeTls}. */
final class NativeTrust {
    private NativeTrust() {}

    static native void SSL_CTX_load_verify_store(long ctx, String uri) throws OpenSslException;
    /** The store's certificate subjects join the context's client CA list; returns the list's size. */
    static native int SSL_CTX_add_store_client_CA(long ctx, String uri) throws OpenSslException;
    static native void X509_STORE_add_cert(long ctx, long x509) throws OpenSslException;
    static native void SSL_CTX_add_client_CA(long ctx, long x509) throws OpenSslException;
}
