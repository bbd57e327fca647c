package org.jstunnel.ssl;

/**
 * The JNI binding of OpenSSL's ENGINE, provider, FIPS and OSSL_STORE calls (native/jst_engine.c,
 * jst_provider.c, jst_store.c): one static native per C call, named after it, no policy. Pointers
 * are {@code long}s; a call that can fail drains this thread's error queue into the
 * {@link OpenSslException} it throws (see {@link NativeSsl}).
 *
 * <p>Ownership follows the C API: {@link #ENGINE_by_id}, {@link #ENGINE_get_first}/{@link #ENGINE_get_next}
 * and {@link #ENGINE_up_ref} give a structural reference ({@link #ENGINE_free}); {@link #ENGINE_init}
 * a functional one ({@link #ENGINE_finish}). Every {@code EVP_PKEY}/{@code X509} handle returned is
 * the caller's ({@link #EVP_PKEY_free}/{@link #X509_free}); {@code SSL_CTX_use_*} take their own
 * reference. Engines and stores get a UI method that never prompts (a missing PIN fails, it does not
 * block on a terminal).
 */
public final class NativeCrypto {
    private NativeCrypto() {}

    // OSSL_STORE_INFO types
    public static final int OSSL_STORE_INFO_NAME = 1;
    public static final int OSSL_STORE_INFO_PARAMS = 2;
    public static final int OSSL_STORE_INFO_PUBKEY = 3;
    public static final int OSSL_STORE_INFO_PKEY = 4;
    public static final int OSSL_STORE_INFO_CERT = 5;
    public static final int OSSL_STORE_INFO_CRL = 6;

    /** OpenSSL_version() types for {@link NativeSsl#OpenSSL_version}. */
    public static final int OPENSSL_ENGINES_DIR = 5;
    public static final int OPENSSL_MODULES_DIR = 8;

    // ENGINE
    public static native long ENGINE_by_id(String id) throws OpenSslException;
    public static native void ENGINE_register_all_complete();
    public static native long ENGINE_get_first();
    /** Releases {@code e}'s structural reference; returns the next engine (with one) or 0. */
    public static native long ENGINE_get_next(long e);
    public static native void ENGINE_up_ref(long e) throws OpenSslException;
    public static native void ENGINE_free(long e);
    public static native String ENGINE_get_id(long e);
    public static native String ENGINE_get_name(long e);
    /** {@code arg} may be null (a command without parameter). */
    public static native void ENGINE_ctrl_cmd_string(long e, String cmd, String arg) throws OpenSslException;
    /** The control command names the engine defines; empty if none. */
    public static native String[] ENGINE_ctrl_cmd_names(long e);
    /** ENGINE_CTRL_SET_USER_INTERFACE with the no-prompt UI; false if the engine does not take one. */
    public static native boolean ENGINE_set_user_interface(long e);
    public static native void ENGINE_init(long e) throws OpenSslException;
    public static native void ENGINE_finish(long e);
    public static native void ENGINE_set_default_string(long e, String list) throws OpenSslException;
    /** An EVP_PKEY handle. */
    public static native long ENGINE_load_private_key(long e, String keyId) throws OpenSslException;
    /** The {@code LOAD_CERT_CTRL} control command: an X509 handle. */
    public static native long ENGINE_ctrl_cmd_LOAD_CERT_CTRL(long e, String certId) throws OpenSslException;
    /** False if the engine has no client-certificate method. */
    public static native boolean SSL_CTX_set_client_cert_engine(long ctx, long e);

    // providers and FIPS
    public static native long OSSL_PROVIDER_try_load(String name, boolean retainFallbacks) throws OpenSslException;
    public static native void OSSL_PROVIDER_unload(long provider) throws OpenSslException;
    public static native boolean OSSL_PROVIDER_available(String name);
    public static native String OSSL_PROVIDER_get0_name(long provider);
    public static native void OSSL_PROVIDER_self_test(long provider) throws OpenSslException;
    /** Whether the running libcrypto has OSSL_PROVIDER_add_conf_parameter (OpenSSL 3.5+). */
    public static native boolean OSSL_PROVIDER_add_conf_parameter_available();
    /** @throws UnsupportedOperationException before OpenSSL 3.5 */
    public static native void OSSL_PROVIDER_add_conf_parameter(long provider, String name, String value) throws OpenSslException;
    public static native void EVP_default_properties_enable_fips(boolean enable) throws OpenSslException;
    public static native boolean EVP_default_properties_is_fips_enabled();
    public static native String CONF_get1_default_config_file();

    // OSSL_STORE
    public static native long OSSL_STORE_open(String uri) throws OpenSslException;
    /** The next OSSL_STORE_INFO handle, or 0 when this attempt yielded none. */
    public static native long OSSL_STORE_load(long store) throws OpenSslException;
    public static native boolean OSSL_STORE_eof(long store);
    public static native void OSSL_STORE_close(long store);
    public static native int OSSL_STORE_INFO_get_type(long info);
    public static native long OSSL_STORE_INFO_get1_PKEY(long info) throws OpenSslException;
    public static native long OSSL_STORE_INFO_get1_CERT(long info) throws OpenSslException;
    public static native void OSSL_STORE_INFO_free(long info);

    // keys and certificates into an SSL_CTX
    public static native void EVP_PKEY_free(long pkey);
    public static native void X509_free(long x509);
    public static native String X509_get_subject_name(long x509);
    public static native void SSL_CTX_use_PrivateKey(long ctx, long pkey) throws OpenSslException;
    public static native void SSL_CTX_use_certificate(long ctx, long x509) throws OpenSslException;
    public static native void SSL_CTX_add1_chain_cert(long ctx, long x509) throws OpenSslException;
}
