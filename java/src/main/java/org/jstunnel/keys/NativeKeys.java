package org.jstunnel.keys;

import org.jstunnel.ssl.OpenSslException;

/**
 * The JNI binding for token keys ({@code native/jst_keys.c}), in the style of {@code NativeSsl}: pointers
 * are {@code long}, calls that can fail drain OpenSSL's error queue themselves and throw.
 */
public final class NativeKeys {
    private NativeKeys() {}

    /** SSL_get_error's code for a handshake the certificate callback suspended. */
    public static final int SSL_ERROR_WANT_X509_LOOKUP = 4;

    /**
     * SSL_CTX_set_cert_cb with a callback that suspends every full handshake (SSL_ERROR_WANT_X509_LOOKUP)
     * unless {@link #SSL_set_on_key_runner} marked the SSL.
     */
    public static native void SSL_CTX_set_cert_cb_suspend(long ctx) throws OpenSslException;

    /** SSL_set_ex_data: this SSL's handshake continues on a key runner, where the callback lets it sign. */
    public static native void SSL_set_on_key_runner(long ssl, boolean on) throws OpenSslException;

    /** SSL_CIPHER_get_kx_nid(SSL_get_pending_cipher(ssl)) == NID_kx_rsa: the key decrypts in a later step. */
    public static native boolean SSL_pending_kx_is_rsa(long ssl);

    /** SSL_use_PrivateKey (takes its own reference). */
    public static native void SSL_use_PrivateKey(long ssl, long pkey) throws OpenSslException;

    public static native void EVP_PKEY_free(long pkey);

    /**
     * ENGINE_new bound by {@code so}'s own bind_engine (as the dynamic engine's LOAD, but a second
     * instance of an already loaded engine is allowed); not in the engine list. A structural reference.
     */
    public static native long ENGINE_new_bound(String so, String id) throws OpenSslException;
}
