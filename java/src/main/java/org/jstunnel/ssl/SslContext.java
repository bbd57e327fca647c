package org.jstunnel.ssl;

import java.util.concurrent.atomic.AtomicInteger;
import org.jstunnel.keys.KeyRecovery;
import org.jstunnel.keys.KeyRunner;
import org.jstunnel.keys.KeyRunners;
import org.jstunnel.keys.NativeKeys;
import org.jstunnel.log.Log;

/**
 * One SSL_CTX per service, configured as stunnel's context_init does. Reference counted: a reload
 * replaces a service's context while its established connections still use the old one.
 */
public final class SslContext implements AutoCloseable {
    private static final int DEFAULT_SECURITY_LEVEL = 2;
    // SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS
    private static final long MODES = 0x1L | 0x2L | 0x10L;

    private final TlsSettings settings;
    private final TlsExtras extras;
    private final long ctx;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final ClientSessions clientSessions = new ClientSessions();
    private volatile java.util.List<SniRoute> sniRoutes = java.util.List.of();
    private volatile OcspStapler stapler; // server: the OCSP response it staples (5.75)
    private final KeyRunner keyRunner; // null: the key is in a file, signing never leaves the connection's thread
    private final KeyRecovery keyRecovery; // null: no recovery for the key's source

    private SslContext(TlsSettings settings, TlsExtras extras, long ctx, KeyLoader.TokenKey key) {
        this.settings = settings;
        this.extras = extras;
        this.ctx = ctx;
        this.keyRunner = key == null ? null : KeyRunners.forToken(key.token());
        this.keyRecovery = key == null ? null : key.recovery();
    }

    KeyRecovery keyRecovery() { return keyRecovery; }

    /** Where full handshakes run the steps that use the key (a token's), or null for a file key. */
    KeyRunner keyRunner() { return keyRunner; }

    public TlsSettings settings() { return settings; }

    /** The SSL_CTX, for the session cache's callbacks (sessiond); valid while this context is. */
    public long nativeHandle() { return ctx; }

    /** The issue 3 options (sessions, PSK, CRLs, OCSP, ...). */
    public TlsExtras extras() { return extras; }

    ClientSessions clientSessions() { return clientSessions; }

    /** Server side SNI: the slave services of this master, in configuration order (stunnel's servername_list). */
    public void setSniRoutes(java.util.List<SniRoute> routes) { sniRoutes = java.util.List.copyOf(routes); }

    java.util.List<SniRoute> sniRoutes() { return sniRoutes; }

    long handle() { return ctx; }

    /** The OCSP response to staple now, or null. */
    byte[] ocspStaple() {
        OcspStapler st = stapler;
        return st == null ? null : st.staple();
    }

    /** Builds and checks the context; on failure nothing is leaked. */
    public static SslContext create(TlsSettings s) throws OpenSslException, TlsConfigException {
        return create(s, TlsExtras.defaults());
    }

    /** As {@link #create(TlsSettings)}, with the issue 3 options. */
    public static SslContext create(TlsSettings s, TlsExtras x) throws OpenSslException, TlsConfigException {
        NativeLibrary.load();
        long ctx = NativeSsl.SSL_CTX_new(!s.client());
        KeyLoader.TokenKey key;
        try {
            key = configure(ctx, s, x);
            // full handshakes stop before they sign, and continue on the token's key runner
            if (key != null) NativeKeys.SSL_CTX_set_cert_cb_suspend(ctx);
        } catch (OpenSslException | TlsConfigException | RuntimeException e) {
            NativeSsl.SSL_CTX_free(ctx);
            throw e;
        }
        SslContext c = new SslContext(s, x, ctx, key);
        if (ContextSetup.staples(s, x)) c.stapler = OcspStapler.start(c, x.timeoutOcsp(), x.timeoutBusy(), x.logLevel());
        return c;
    }

    /** Returns the token key, or null for a file key. */
    private static KeyLoader.TokenKey configure(long ctx, TlsSettings s, TlsExtras x) throws OpenSslException, TlsConfigException {
        if (s.minVersion() > 0) NativeSsl.SSL_CTX_set_min_proto_version(ctx, s.minVersion());
        if (s.maxVersion() > 0) NativeSsl.SSL_CTX_set_max_proto_version(ctx, s.maxVersion());
        if (s.securityLevel() >= 0) {
            NativeSsl.SSL_CTX_set_security_level(ctx, s.securityLevel());
            Log.info("User-specified security level set: " + s.securityLevel());
        } else {
            NativeSsl.SSL_CTX_set_security_level(ctx, DEFAULT_SECURITY_LEVEL);
            Log.info("stunnel default security level set: " + DEFAULT_SECURITY_LEVEL);
        }
        if (s.ciphers() != null) {
            Log.debug("Ciphers: " + s.ciphers());
            NativeSsl.SSL_CTX_set_cipher_list(ctx, s.ciphers());
        }
        if (s.ciphersuites() != null) {
            Log.debug("TLSv1.3 ciphersuites: " + s.ciphersuites());
            NativeSsl.SSL_CTX_set_ciphersuites(ctx, s.ciphersuites());
        }
        NativeSsl.SSL_CTX_set_options(ctx, SslOptionNames.parse("NO_SSLv2") | SslOptionNames.parse("NO_SSLv3"));
        ContextSetup.ticketDefault(ctx, s, x);
        NativeSsl.SSL_CTX_clear_options(ctx, SslOptionNames.parse("NO_COMPRESSION"));
        NativeSsl.SSL_CTX_set_options(ctx, s.optionsSet());
        NativeSsl.SSL_CTX_clear_options(ctx, s.optionsClear());
        Log.debug(String.format("TLS options: 0x%X (+0x%X, -0x%X)",
            NativeSsl.SSL_CTX_get_options(ctx), s.optionsSet(), s.optionsClear()));
        ContextSetup.conf(ctx, s, x);
        NativeSsl.SSL_CTX_set_mode(ctx, MODES);
        if (s.curves() != null) {
            try {
                NativeSsl.SSL_CTX_set1_groups_list(ctx, s.curves());
            } catch (OpenSslException e) {
                Log.err("Invalid groups list in 'curves'"); // stunnel's ecdh_init; OpenSSL's reason follows
                throw e;
            }
            Log.debug("ECDH curves: " + s.curves());
        }
        ContextSetup.sessions(ctx, s, x); // session id context, tickets, cache (issue 3)
        ContextSetup.psk(ctx, s, x);
        KeyLoader.TokenKey token = null;
        if (s.cert() == null && x.psk() != null && !KeyLoader.handles(s)) {
            Log.debug("No certificate or private key specified"); // a PSK-only server
        } else {
            token = loadCertificate(ctx, s);
        }
        loadTrust(ctx, s, x);
        ContextSetup.ocsp(ctx, s, x);
        ContextSetup.dh(ctx, s);
        return token;
    }

    private static KeyLoader.TokenKey loadCertificate(long ctx, TlsSettings s) throws OpenSslException, TlsConfigException {
        if (KeyLoader.handles(s)) { // engine (engineId/engineNum) or an OSSL_STORE URI: issue 5
            return KeyLoader.load(ctx, s);
        }
        if (s.cert() == null) {
            if (!s.client()) throw new TlsConfigException("No certificate or private key specified");
            return null;
        }
        if (Pkcs12.applies(s.cert())) { // .p12/.pfx: certificate, key and chain in one file (issue 3)
            Pkcs12.load(ctx, s.cert());
            return null;
        }
        Log.info("Loading certificate from file: " + s.cert());
        NativeSsl.SSL_CTX_use_certificate_chain_file(ctx, s.cert());
        String key = s.key() != null ? s.key() : s.cert();
        Log.info("Loading private key from file: " + key);
        NativeSsl.SSL_CTX_use_PrivateKey_file(ctx, key);
        NativeSsl.SSL_CTX_check_private_key(ctx);
        Log.info("Private key check succeeded");
        return null;
    }

    private static void loadTrust(long ctx, TlsSettings s, TlsExtras x) throws OpenSslException, TlsConfigException {
        boolean haveCa = s.caFile() != null || s.caPath() != null;
        if (haveCa) {
            NativeSsl.SSL_CTX_load_verify_locations(ctx, s.caFile(), s.caPath());
            if (!s.client() && s.caFile() != null) {
                NativeSsl.SSL_load_client_CA_file(ctx, s.caFile());
                ContextSetup.logClientCaList(ctx, s.caFile());
            }
        }
        if (TrustSources.load(ctx, s, x) > 0) haveCa = true; // 5.75: CAstore, CAengine
        if (!haveCa) {
            if (s.verifyChain() || s.verifyPeer()) throw new TlsConfigException("No trusted certificates found");
            Log.info("No trusted certificates found");
        }
        int mode = NativeSsl.SSL_VERIFY_NONE;
        if (s.requestCert()) {
            mode |= NativeSsl.SSL_VERIFY_PEER;
            if (s.requireCert()) mode |= NativeSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
        }
        ContextSetup.crl(ctx, x);
        NativeSsl.SSL_CTX_set_verify(ctx, mode);
        if (x.psk() != null) return; // stunnel's auth_warnings: PSK authenticates the peer
        if (s.client() && !s.verifyPeer() && s.verifyChain()
                && s.checkHost().isEmpty() && s.checkEmail().isEmpty() && s.checkIp().isEmpty()) {
            Log.warning("Service [" + s.serviceName() + "] uses \"verifyChain\" without subject checks");
            Log.warning("Use \"checkHost\" or \"checkIP\" to restrict trusted certificates");
        }
        if (s.client() && !s.verifyPeer() && !s.verifyChain())
            Log.warning("Service [" + s.serviceName() + "] needs authentication to prevent MITM attacks");
    }

    /** A new connection's TLS state; the context stays alive until that connection is closed. */
    public SslConnection newConnection(CertificateVerifier verifier) throws OpenSslException {
        retain();
        try {
            return new SslConnection(this, verifier);
        } catch (OpenSslException | RuntimeException e) {
            release();
            throw e;
        }
    }

    void retain() {
        if (refs.getAndIncrement() <= 0) throw new IllegalStateException("SSL_CTX already freed");
    }

    /** Like retain, but false (and nothing changed) if the context is already freed. */
    boolean tryRetain() {
        while (true) {
            int n = refs.get();
            if (n <= 0) return false;
            if (refs.compareAndSet(n, n + 1)) return true;
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            clientSessions.clear();
            NativeSsl.SSL_CTX_free(ctx);
        }
    }

    /**
     * ticketKeyFile's ring (see {@link NativeTls#SSL_CTX_set_ticket_key_ring}); false if the context is
     * already freed. Safe while connections handshake: the callback reads the ring under a lock.
     */
    public boolean setTicketKeyRing(byte[] keys, int keyLength, int encrypt) throws OpenSslException {
        if (!tryRetain()) return false;
        try {
            NativeTls.SSL_CTX_set_ticket_key_ring(ctx, keys, keyLength, encrypt);
            return true;
        } finally {
            release();
        }
    }

    /** The service lets go of its context; it is freed when its last connection closes. */
    @Override
    public void close() {
        OcspStapler st = stapler;
        if (st != null) st.close();
        release();
    }
}
