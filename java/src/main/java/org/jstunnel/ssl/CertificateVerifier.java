package org.jstunnel.ssl;

import org.jstunnel.log.Log;
import org.jstunnel.log.LogContext;
import org.jstunnel.log.LogLevel;

/**
 * stunnel's certificate policy (verifyChain, verifyPeer, checkHost/checkEmail/checkIP, OCSP), called by
 * OpenSSL for each certificate of the peer's chain. Logs what stunnel logs, in the connection's context.
 * The settings are the service's; an SNI switch replaces them with the slave service's.
 */
public final class CertificateVerifier implements SslCallbacks {
    // X509_V_ERR_* that verifyPeer tolerates at depth 0: the leaf itself is trusted locally
    private static final int UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20;
    private static final int UNABLE_TO_VERIFY_LEAF_SIGNATURE = 21;
    private static final int CERT_UNTRUSTED = 27;
    private static final int V_OCSP_CERTSTATUS_GOOD = 0;
    private static final int V_OCSP_CERTSTATUS_UNKNOWN = 2;

    private volatile TlsSettings s;
    private volatile TlsExtras x = TlsExtras.defaults();
    private volatile long ctx; // the SSL_CTX whose trust store OCSP responses are checked against
    private final LogContext logContext;
    private volatile boolean redirectOnFailure;  // the service has redirect targets
    private volatile boolean authenticationFailed;

    public CertificateVerifier(TlsSettings settings, LogContext logContext) {
        this.s = settings;
        this.logContext = logContext;
    }

    /** The policy of the service the connection belongs to (again after an SNI switch). */
    void use(TlsSettings settings, TlsExtras extras) {
        this.s = settings;
        this.x = extras;
    }

    void useContext(long sslCtx) { this.ctx = sslCtx; }

    /**
     * verify.c with {@code redirect}: a certificate that fails verification does not fail the
     * handshake; the connection is marked and goes to the redirect targets instead.
     */
    public void redirectOnFailure() { redirectOnFailure = true; }

    /** Whether a certificate failed verification that {@link #redirectOnFailure()} let pass. */
    public boolean authenticationFailed() { return authenticationFailed; }

    private boolean rejected() {
        if (!redirectOnFailure) return false;
        authenticationFailed = true;
        return true;
    }

    @Override
    public boolean verify(boolean preverifyOk, int depth, int error, long storeCtx) {
        Log.setContext(logContext); // upcall runs on the handshaking thread, which has it already; be sure
        TlsSettings s = this.s;
        if (!s.verifyChain() && !s.verifyPeer()) {
            Log.info("Certificate verification disabled"); // stunnel 5.63/5.68 wording (5.75: "CERT: ...")
            return true;
        }
        String subject = NativeSsl.X509_STORE_CTX_current_subject(storeCtx);
        Log.debug("Verification started at depth=" + depth + ": " + subject);
        if (!certCheck(s, preverifyOk, depth, error, storeCtx)) {
            Log.warning("Rejected by CERT at depth=" + depth + ": " + subject);
            return rejected();
        }
        if (x.ocspEnabled() && !ocspCheck(storeCtx)) {
            Log.warning("Rejected by OCSP at depth=" + depth + ": " + subject);
            return rejected();
        }
        Log.log(depth > 0 ? LogLevel.INFO : LogLevel.NOTICE, "Certificate accepted at depth=" + depth + ": " + subject);
        return true;
    }

    private boolean certCheck(TlsSettings s, boolean preverifyOk, int depth, int error, long storeCtx) {
        if (preverifyOk) {
            Log.debug("CERT: Pre-verification succeeded");
        } else {
            // verifyPeer alone ignores chain errors, except at the leaf for anything but "issuer unknown"
            boolean leafError = depth == 0 && error != UNABLE_TO_GET_ISSUER_CERT_LOCALLY
                && error != UNABLE_TO_VERIFY_LEAF_SIGNATURE && error != CERT_UNTRUSTED;
            if (s.verifyChain() || leafError) {
                // stunnel 5.63 and 5.68 wording (5.75 adds "certificate not found in local repository: ")
                Log.warning("CERT: Pre-verification error: " + NativeSsl.X509_verify_cert_error_string(error));
                return false; // the store keeps the error pre-verification found: it picks the alert
            }
            Log.info("CERT: Pre-verification error ignored: " + NativeSsl.X509_verify_cert_error_string(error));
        }
        if (depth == 0) {
            if (!subjectCheck(s, storeCtx)) return false;
            if (s.verifyPeer() && !NativeSsl.X509_STORE_CTX_cert_in_store(storeCtx)) {
                Log.warning("CERT: Certificate not found in local repository");
                NativeSsl.X509_STORE_CTX_set_error(storeCtx, NativeSsl.X509_V_ERR_CERT_REJECTED);
                return false;
            }
            if (s.verifyPeer()) Log.info("CERT: Locally installed certificate matched");
        }
        return true;
    }

    private static boolean subjectCheck(TlsSettings s, long storeCtx) {
        if (s.checkHost().isEmpty() && s.checkEmail().isEmpty() && s.checkIp().isEmpty()) {
            Log.info("CERT: No subject checks configured");
            return true;
        }
        for (String host : s.checkHost()) {
            String peername = NativeTls.X509_check_host_peername(storeCtx, host);
            if (peername != null) {
                Log.info("CERT: Host name \"" + host + "\" matched with \"" + peername + "\"");
                return true;
            }
        }
        for (String email : s.checkEmail())
            if (NativeSsl.X509_check_email(storeCtx, email)) {
                Log.info("CERT: Email address \"" + email + "\" matched");
                return true;
            }
        for (String ip : s.checkIp())
            if (NativeSsl.X509_check_ip_asc(storeCtx, ip)) {
                Log.info("CERT: IP address \"" + ip + "\" matched");
                return true;
            }
        Log.warning("CERT: Subject checks failed");
        // stunnel sets no error here: OpenSSL then reports X509_V_ERR_UNSPECIFIED and sends
        // internal_error (80), which is what stunnel's peers see
        return false;
    }

    /** verify.c ocsp_check: the configured responder, then the AIA responders, for every non-root certificate. */
    private boolean ocspCheck(long storeCtx) {
        TlsExtras x = this.x;
        int saved = NativeTls.X509_STORE_CTX_get_error(storeCtx);
        if (NativeTls.X509_STORE_CTX_current_is_root(storeCtx)) {
            Log.debug("OCSP: Ignoring root certificate");
            return true;
        }
        int timeout = Math.max(1, x.timeoutBusy());
        if (x.ocspUrl() != null) {
            Log.notice("OCSP: Connecting the configured responder \"" + x.ocspUrl() + "\"");
            if (NativeTls.OCSP_check_url(storeCtx, ctx, x.ocspUrl(), x.ocspNonce(), x.ocspFlags(), timeout)
                    != V_OCSP_CERTSTATUS_GOOD)
                return false;
        }
        if (x.ocspAia()) {
            String[] urls = NativeTls.X509_get1_ocsp(storeCtx);
            if (urls != null && urls.length > 0) {
                int status = V_OCSP_CERTSTATUS_UNKNOWN;
                for (String url : urls) {
                    Log.notice("OCSP: Connecting the AIA responder \"" + url + "\"");
                    status = NativeTls.OCSP_check_url(storeCtx, ctx, url, x.ocspNonce(), x.ocspFlags(), timeout);
                    if (status != V_OCSP_CERTSTATUS_UNKNOWN) break; // a definitive response
                }
                if (status != V_OCSP_CERTSTATUS_GOOD) return false;
            }
        }
        NativeSsl.X509_STORE_CTX_set_error(storeCtx, saved);
        return true;
    }
}
