package org.jstunnel.ssl;

import java.nio.ByteBuffer;

/**
 * The JNI binding of OpenSSL 3: one static native per C call, named after it, no policy.
 * Pointers are passed as {@code long}. Calls that can fail read OpenSSL's error queue themselves and
 * throw {@link OpenSslException}: the queue is per OS thread and a virtual thread may change carrier
 * between two calls, so a separate "get last error" call would read the wrong queue.
 *
 * <p>I/O calls return a byte count, or a negative {@code SSL_ERROR_*} code ({@code -SSL_ERROR_WANT_READ}
 * etc.). Buffers must be direct: OpenSSL reads and writes them in place.
 */
public final class NativeSsl {
    private NativeSsl() {}

    // SSL_get_error() codes, as returned negated by the I/O calls
    public static final int SSL_ERROR_SSL = 1;
    public static final int SSL_ERROR_WANT_READ = 2;
    public static final int SSL_ERROR_WANT_WRITE = 3;
    public static final int SSL_ERROR_SYSCALL = 5;
    public static final int SSL_ERROR_ZERO_RETURN = 6;

    public static final int SSL_VERIFY_NONE = 0x00;
    public static final int SSL_VERIFY_PEER = 0x01;
    public static final int SSL_VERIFY_FAIL_IF_NO_PEER_CERT = 0x02;

    public static final int SSL_SENT_SHUTDOWN = 1;
    public static final int SSL_RECEIVED_SHUTDOWN = 2;

    public static final int TLS1_VERSION = 0x0301;
    public static final int TLS1_1_VERSION = 0x0302;
    public static final int TLS1_2_VERSION = 0x0303;
    public static final int TLS1_3_VERSION = 0x0304;
    public static final int SSL3_VERSION = 0x0300;

    public static final int X509_V_ERR_CERT_REJECTED = 28;
    public static final int X509_V_ERR_APPLICATION_VERIFICATION = 50;

    // library
    static native void init();
    public static native String OpenSSL_version(int type);
    public static native long OpenSSL_version_num();

    // SSL_CTX
    public static native long SSL_CTX_new(boolean server) throws OpenSslException;
    public static native void SSL_CTX_free(long ctx);
    public static native long SSL_CTX_set_options(long ctx, long options);
    public static native long SSL_CTX_clear_options(long ctx, long options);
    public static native long SSL_CTX_get_options(long ctx);
    public static native void SSL_CTX_set_min_proto_version(long ctx, int version) throws OpenSslException;
    public static native void SSL_CTX_set_max_proto_version(long ctx, int version) throws OpenSslException;
    public static native void SSL_CTX_set_cipher_list(long ctx, String ciphers) throws OpenSslException;
    public static native void SSL_CTX_set_ciphersuites(long ctx, String suites) throws OpenSslException;
    public static native void SSL_CTX_set1_groups_list(long ctx, String groups) throws OpenSslException;
    public static native void SSL_CTX_set_security_level(long ctx, int level);
    public static native void SSL_CTX_use_certificate_chain_file(long ctx, String file) throws OpenSslException;
    public static native void SSL_CTX_use_PrivateKey_file(long ctx, String file) throws OpenSslException;
    public static native void SSL_CTX_check_private_key(long ctx) throws OpenSslException;
    public static native void SSL_CTX_load_verify_locations(long ctx, String file, String dir) throws OpenSslException;
    /** Also sets SSL_CTX_set_client_CA_list from the file (what a server advertises in CertificateRequest). */
    public static native void SSL_load_client_CA_file(long ctx, String file) throws OpenSslException;
    /** mode: SSL_VERIFY_*; when not NONE the native verify callback calls {@link SslCallbacks#verify}. */
    public static native void SSL_CTX_set_verify(long ctx, int mode);
    public static native void SSL_CTX_set_session_id_context(long ctx, byte[] sidCtx) throws OpenSslException;
    public static native void SSL_CTX_set_mode(long ctx, long mode);

    // SSL
    /** SSL_new with two memory BIOs (network in/out) attached; callbacks receive verification upcalls. */
    public static native long SSL_new(long ctx, SslCallbacks callbacks) throws OpenSslException;
    public static native void SSL_free(long ssl);
    public static native void SSL_set_accept_state(long ssl);
    public static native void SSL_set_connect_state(long ssl);
    public static native void SSL_set_tlsext_host_name(long ssl, String name) throws OpenSslException;
    public static native int SSL_do_handshake(long ssl) throws OpenSslException;
    public static native int SSL_read(long ssl, ByteBuffer dst, int offset, int length) throws OpenSslException;
    public static native int SSL_write(long ssl, ByteBuffer src, int offset, int length) throws OpenSslException;
    public static native int SSL_shutdown(long ssl) throws OpenSslException;
    public static native int SSL_get_shutdown(long ssl);
    public static native void SSL_set_shutdown(long ssl, int mode);
    public static native int SSL_pending(long ssl);
    public static native boolean SSL_session_reused(long ssl);
    public static native String SSL_get_version(long ssl);
    public static native String SSL_get_cipher_name(long ssl);
    public static native int SSL_get_cipher_bits(long ssl);
    public static native long SSL_get_verify_result(long ssl);
    /** Subject of the peer certificate in stunnel's one-line form, or null. */
    public static native String SSL_get_peer_subject(long ssl);
    public static native String SSL_get_peer_issuer(long ssl);
    /** Whether a fatal alert was sent or received (recorded by the native info callback). */
    public static native boolean SSL_fatal_alert_seen(long ssl);

    // network side of the memory BIOs
    /** BIO_write into the read BIO: ciphertext that came from the socket. */
    public static native int BIO_write_in(long ssl, ByteBuffer src, int offset, int length) throws OpenSslException;
    /** BIO_read from the write BIO: ciphertext to send to the socket. */
    public static native int BIO_read_out(long ssl, ByteBuffer dst, int offset, int length);
    public static native int BIO_pending_out(long ssl);
    /** BIO_set_mem_eof_return on the read BIO: 0 makes an empty BIO read as end of file (the socket's EOF). */
    public static native void BIO_set_mem_eof_return_in(long ssl, int v);
    /** stunnel's print_tmp_key text ({@code X25519, 253 bits}), or null when the peer sent none. */
    public static native String SSL_get_peer_tmp_key_text(long ssl);

    // inside the verify callback: the X509_STORE_CTX being verified
    public static native String X509_STORE_CTX_current_subject(long storeCtx);
    public static native boolean X509_check_host(long storeCtx, String host);
    public static native boolean X509_check_email(long storeCtx, String email);
    public static native boolean X509_check_ip_asc(long storeCtx, String ip);
    /** stunnel's verifyPeer: is the current certificate (same subject and public key) in the trust store? */
    public static native boolean X509_STORE_CTX_cert_in_store(long storeCtx);
    public static native void X509_STORE_CTX_set_error(long storeCtx, int error);
    public static native String X509_verify_cert_error_string(int error);
}
