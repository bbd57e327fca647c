package org.jstunnel.ssl;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final long ctx;
    private final AtomicInteger refs = new AtomicInteger(1);

    private SslContext(TlsSettings settings, long ctx) {
        this.settings = settings;
        this.ctx = ctx;
    }

    public TlsSettings settings() { return settings; }

    long handle() { return ctx; }

    /** Builds and checks the context; on failure nothing is leaked. */
    public static SslContext create(TlsSettings s) throws OpenSslException, TlsConfigException {
        NativeLibrary.load();
        long ctx = NativeSsl.SSL_CTX_new(!s.client());
        try {
            configure(ctx, s);
        } catch (OpenSslException | TlsConfigException | RuntimeException e) {
            NativeSsl.SSL_CTX_free(ctx);
            throw e;
        }
        return new SslContext(s, ctx);
    }

    private static void configure(long ctx, TlsSettings s) throws OpenSslException, TlsConfigException {
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
        NativeSsl.SSL_CTX_clear_options(ctx, SslOptionNames.parse("NO_COMPRESSION"));
        NativeSsl.SSL_CTX_set_options(ctx, s.optionsSet());
        NativeSsl.SSL_CTX_clear_options(ctx, s.optionsClear());
        Log.debug(String.format("TLS options: 0x%X (+0x%X, -0x%X)",
            NativeSsl.SSL_CTX_get_options(ctx), s.optionsSet(), s.optionsClear()));
        NativeSsl.SSL_CTX_set_mode(ctx, MODES);
        if (s.curves() != null) {
            NativeSsl.SSL_CTX_set1_groups_list(ctx, s.curves());
            Log.debug("ECDH curves: " + s.curves());
        }
        if (!s.client()) {
            // sessions resumed only within the same service
            NativeSsl.SSL_CTX_set_session_id_context(ctx, sessionIdContext(s.serviceName()));
        }
        loadCertificate(ctx, s);
        loadTrust(ctx, s);
    }

    private static byte[] sessionIdContext(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 32) return b; // SSL_MAX_SID_CTX_LENGTH
        return java.util.Arrays.copyOf(b, 32);
    }

    private static void loadCertificate(long ctx, TlsSettings s) throws OpenSslException, TlsConfigException {
        if (s.cert() == null) {
            if (!s.client()) throw new TlsConfigException("No certificate or private key specified");
            return;
        }
        Log.info("Loading certificate from file: " + s.cert());
        NativeSsl.SSL_CTX_use_certificate_chain_file(ctx, s.cert());
        String key = s.key() != null ? s.key() : s.cert();
        Log.info("Loading private key from file: " + key);
        NativeSsl.SSL_CTX_use_PrivateKey_file(ctx, key);
        NativeSsl.SSL_CTX_check_private_key(ctx);
        Log.info("Private key check succeeded");
    }

    private static void loadTrust(long ctx, TlsSettings s) throws OpenSslException, TlsConfigException {
        boolean haveCa = s.caFile() != null || s.caPath() != null;
        if (haveCa) {
            NativeSsl.SSL_CTX_load_verify_locations(ctx, s.caFile(), s.caPath());
            if (!s.client() && s.caFile() != null) NativeSsl.SSL_load_client_CA_file(ctx, s.caFile());
        }
        if (!haveCa) {
            if (s.verifyChain() || s.verifyPeer()) throw new TlsConfigException("No trusted certificates found");
            Log.info("No trusted certificates found");
        }
        int mode = NativeSsl.SSL_VERIFY_NONE;
        if (s.requestCert()) {
            mode |= NativeSsl.SSL_VERIFY_PEER;
            if (s.requireCert()) mode |= NativeSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
        }
        NativeSsl.SSL_CTX_set_verify(ctx, mode);
        if (s.client() && !s.verifyPeer() && s.verifyChain()
                && s.checkHost().isEmpty() && s.checkEmail().isEmpty() && s.checkIp().isEmpty())
            Log.warning("Service [" + s.serviceName() + "] uses \"verifyChain\" without subject checks");
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

    void release() {
        if (refs.decrementAndGet() == 0) NativeSsl.SSL_CTX_free(ctx);
    }

    /** The service lets go of its context; it is freed when its last connection closes. */
    @Override
    public void close() { release(); }
}
