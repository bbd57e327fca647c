package org.jstunnel.ssl;

/**
 * The JNI binding for issue 3 (revocation, sessions and tickets, SNI, PSK, OCSP, SSL_CONF, DH,
 * compression, PRNG, PKCS#12): one static native per OpenSSL call or per stunnel routine that only
 * makes OpenSSL calls, no policy. Same conventions as {@link NativeSsl}: pointers are {@code long},
 * calls that can fail drain OpenSSL's error queue themselves and throw {@link OpenSslException}
 * named after the failing call.
 *
 * <p>Callbacks installed here (new session, ticket application data, servername, PSK) reach Java
 * through the connection's {@link SslCallbacks}.
 */
public final class NativeTls {
    private NativeTls() {}

    // SSL_SESS_CACHE_* and SSL_TLSEXT_ERR_* as OpenSSL 3 defines them
    public static final int SSL_SESS_CACHE_OFF = 0x0000;
    public static final int SSL_SESS_CACHE_BOTH = 0x0003;
    public static final int SSL_SESS_CACHE_NO_INTERNAL_STORE = 0x0200;
    public static final long SERVERNAME_NO_SWITCH = 0;
    public static final long SERVERNAME_NOACK = -1;

    // ---- revocation lists and trust (verify.c)
    /** X509_STORE_add_lookup(X509_LOOKUP_file()) + X509_load_crl_file(PEM) on the context's store. */
    public static native void X509_load_crl_file(long ctx, String file) throws OpenSslException;
    /** X509_STORE_add_lookup(X509_LOOKUP_hash_dir()) + X509_LOOKUP_add_dir(PEM) on the context's store. */
    public static native void X509_LOOKUP_add_dir(long ctx, String dir) throws OpenSslException;
    /** X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK). */
    public static native void X509_STORE_set_crl_check(long ctx) throws OpenSslException;
    /** The one-line names of SSL_CTX_get_client_CA_list, or null if there is no list. */
    public static native String[] SSL_CTX_get_client_CA_names(long ctx);
    /** X509_check_host on the current certificate of a verify callback; the matched name, or null. */
    public static native String X509_check_host_peername(long storeCtx, String host);

    // ---- SSL_CONF (ctx.c conf_init)
    /** SSL_CONF_CTX_new with SSL_CONF_FLAG_FILE, CLIENT or SERVER, CERTIFICATE, bound to ctx. */
    public static native long SSL_CONF_CTX_new(long ctx, boolean client) throws OpenSslException;
    /** SSL_CONF_cmd's result: 2 (value used), 1 (command run), -2 (unknown), -3 (needs a parameter); throws otherwise. */
    public static native int SSL_CONF_cmd(long cctx, String cmd, String value) throws OpenSslException;
    public static native void SSL_CONF_CTX_finish(long cctx) throws OpenSslException;
    public static native void SSL_CONF_CTX_free(long cctx);

    // ---- sessions and tickets (ctx.c context_init, session callbacks)
    public static native void SSL_CTX_set_session_cache_mode(long ctx, int mode);
    public static native void SSL_CTX_sess_set_cache_size(long ctx, long size);
    public static native void SSL_CTX_set_timeout(long ctx, long seconds);
    public static native void SSL_CTX_set_num_tickets(long ctx, int n) throws OpenSslException;
    /**
     * stunnel's session callbacks: new session (client: {@link SslCallbacks#newSession}; both: "Session
     * id" log), ticket application data (stunnel's TICKET_DATA, so tickets resume across stunnel and
     * jstunnel sharing ticket keys), and the servername callback on a server context.
     */
    public static native void SSL_CTX_set_session_callbacks(long ctx, boolean server) throws OpenSslException;
    /** ticketKeySecret/ticketMacSecret: the ticket key callback (AES-128/256-CBC, HMAC-SHA256) with these keys. */
    public static native void SSL_CTX_set_ticket_keys(long ctx, byte[] key, byte[] mac) throws OpenSslException;
    /**
     * ticketKeyFile: replaces the context's key ring (1 to 3 keys of 48 or 80 bytes in HAProxy's layout,
     * name | AES key | HMAC key, back to back); {@code encrypt} is the index of the key for new tickets.
     * The ticket key callback looks a ticket's name up in the ring before trying the ticket secrets.
     */
    public static native void SSL_CTX_set_ticket_key_ring(long ctx, byte[] keys, int keyLength, int encrypt)
        throws OpenSslException;
    public static native void SSL_SESSION_up_ref(long session);
    public static native void SSL_SESSION_free(long session);
    /** SSL_set_session (takes its own reference). */
    public static native void SSL_set_session(long ssl, long session) throws OpenSslException;
    /** After a server handshake: a new session goes into the context's cache (stunnel adds it after SSL_accept). */
    public static native void SSL_cache_server_session(long ssl);
    /** The info callback saw a ClientHello after the first handshake (stunnel's RENEG_DETECTED). */
    public static native boolean SSL_renegotiation_detected(long ssl);
    /** Session id of the SSL's session in hexadecimal (stunnel's print_session_id), or null. */
    public static native String SSL_get_session_id_hex(long ssl);
    /** stunnel's idx_cache_save: keeps the connect address with the SSL's session; false if there is none. */
    public static native boolean SSL_SESSION_set_connect_address(long ssl, String address);
    /** stunnel's idx_cache_retrieve: the connect address kept with the SSL's session, or null. */
    public static native String SSL_SESSION_get_connect_address(long ssl);

    // ---- PSK (ctx.c psk_client_callback/psk_server_callback)
    /** Installs the PSK client or server callback, which asks {@link SslCallbacks} for identity and key. */
    public static native void SSL_CTX_set_psk_callback(long ctx, boolean server);

    // ---- DH (ctx.c dh_init)
    /** Name of the first cipher of the context whose key exchange is DH, or null. */
    public static native String SSL_CTX_first_dh_cipher(long ctx);
    /** DH parameters from a PEM file into the context; their size in bits, or 0 if the file has none. */
    public static native int SSL_CTX_load_dh_file(long ctx, String file);
    /** SSL_CTX_set_dh_auto(ctx, 1): OpenSSL's built-in groups, sized to the certificate. */
    public static native void SSL_CTX_set_dh_auto(long ctx) throws OpenSslException;

    // ---- compression and PRNG (ssl.c compression_configure, prng_init), process-wide
    /** Compression methods OpenSSL offers (SSL_COMP_get_compression_methods), as "0xID: name". */
    public static native String[] SSL_COMP_methods();
    /** Leaves only the methods with these ids (none: compression off); returns how many remain. */
    public static native int SSL_COMP_select(int[] ids);
    public static native boolean RAND_status();
    public static native String RAND_file_name();
    public static native int RAND_load_file(String file, long bytes) throws OpenSslException;
    public static native int RAND_write_file(String file) throws OpenSslException;

    // ---- PKCS#12 (ctx.c load_pkcs12_file)
    /** d2i_PKCS12_bio of the whole file; free with PKCS12_free. */
    public static native long PKCS12_read(String file) throws OpenSslException;
    public static native void PKCS12_free(long p12);
    /**
     * PKCS12_parse with this password; on success the certificate, key and CA chain go into ctx and
     * 1 is returned. 0: a wrong password (stunnel's ui_retry errors, queue cleared). Other failures throw.
     */
    public static native int PKCS12_parse_into(long ctx, long p12, String password) throws OpenSslException;
    /** EVP_read_pw_string on the terminal (no echo); null when there is no terminal or nothing was read. */
    public static native String EVP_read_pw_string(String prompt);

    // ---- OCSP (verify.c ocsp_check), inside the verify callback
    /**
     * stunnel's ocsp_request for the current certificate of a verify callback (storeCtx 0: the SSL's
     * verified leaf, from the status callback) against one responder
     * URL: builds the request (with a nonce if asked), POSTs it over plain HTTP with the timeout,
     * verifies the response against the chain and the context's store with {@code flags}.
     * Logs through the SSL's callbacks as stunnel does. Returns V_OCSP_CERTSTATUS_GOOD (0), REVOKED (1)
     * or UNKNOWN (2); anything but GOOD leaves the store error set (CERT_REVOKED or APPLICATION_VERIFICATION).
     */
    public static native int OCSP_check_url(long ssl, long storeCtx, long ctx, String url, boolean nonce, long flags,
            int timeoutSeconds);
    /** The current certificate's AIA OCSP URLs (X509_get1_ocsp); empty if none. */
    public static native String[] X509_get1_ocsp(long storeCtx);
    /** Whether the current certificate is self-issued (subject equals issuer): stunnel skips OCSP for it. */
    public static native boolean X509_STORE_CTX_current_is_root(long storeCtx);
    public static native int X509_STORE_CTX_get_error(long storeCtx);
}
