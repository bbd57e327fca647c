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

    private volatile TlsSettings s;
    private volatile TlsExtras x = TlsExtras.defaults();
    private volatile long ctx; // the SSL_CTX whose trust store OCSP responses are checked against
    private final LogContext logContext;
    private volatile boolean redirectOnFailure;  // the service has redirect targets
    private volatile boolean authenticationFailed;
    private volatile boolean leafWaiting;  // the leaf passed the verify callback; its OCSP waits for the status callback
    private volatile boolean statusSeen;   // the status callback came first: the verify callback does the leaf

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
        if (!ocspCheck(depth, storeCtx)) {
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

    /**
     * ocsp.c ocsp_check (5.75), from the verify callback. A client defers its leaf to the status
     * callback ({@link #stapled}), which has the staple; OpenSSL calls that one after verification.
     */
    private boolean ocspCheck(int depth, long storeCtx) {
        TlsSettings s = this.s;
        if (!s.verifyChain()) {
            Log.info("OCSP: Certificate chain verification disabled");
            return true;
        }
        if (s.client() && depth == 0 && !statusSeen) {
            leafWaiting = true;
            Log.debug("OCSP: Waiting for OCSP stapling response");
            return true;
        }
        int saved = NativeTls.X509_STORE_CTX_get_error(storeCtx);
        if (NativeTls.X509_STORE_CTX_current_is_root(storeCtx)) {
            Log.debug("OCSP: Ignoring the root certificate");
            return true;
        }
        boolean ok = ocspVerify(depth, 0, storeCtx);
        if (ok) NativeSsl.X509_STORE_CTX_set_error(storeCtx, saved); // an inconclusive answer let through
        return ok;
    }

    /** ocsp.c ocsp_client_cb (5.75): the client's status callback, with the server's staple if any. */
    boolean stapled(long ssl, boolean reused) {
        Log.setContext(logContext);
        Log.debug("OCSP stapling: Client callback called");
        if (!s.verifyChain()) {
            Log.info("OCSP: Certificate chain verification disabled");
            return true;
        }
        if (reused) {
            Log.debug("OCSP: Skipped OCSP stapling (previous session reused)");
            return true;
        }
        if (!leafWaiting) {
            statusSeen = true; // the verify callback at depth 0 does it
            Log.debug("OCSP: Waiting for OCSP peer certificates");
            return true;
        }
        return ocspVerify(0, ssl, 0);
    }

    /**
     * ocsp.c ocsp_verify (5.75): for a client's leaf the staple, then the configured responder; then the
     * AIA responders. Nothing asked: accepted; good: accepted; revoked: rejected; anything else:
     * OCSPrequire decides. {@code storeCtx} 0: the status callback (the SSL's verified chain).
     */
    private boolean ocspVerify(int depth, long ssl, long storeCtx) {
        TlsExtras x = this.x;
        boolean requested = false;
        int status = NativeOcsp.UNKNOWN;
        if (depth == 0) {
            if (s.client()) {
                OcspResponse r = OcspResponse.validate(0, ssl, storeCtx, null, x.ocspFlags(), 60,
                    "OCSP: OCSP stapling response received");
                if (r == null) {
                    Log.err("OCSP: No OCSP stapling response received");
                } else if (r.conclusive()) {
                    requested = true;
                    status = r.status();
                }
            }
            if (status == NativeOcsp.UNKNOWN && x.ocspUrl() != null) {
                Log.notice("OCSP: Connecting the configured responder \"" + x.ocspUrl() + "\"");
                requested = true;
                status = ask(ssl, storeCtx, x.ocspUrl());
            }
        }
        if (status == NativeOcsp.UNKNOWN && x.ocspAia()) {
            String[] urls = storeCtx != 0 ? NativeTls.X509_get1_ocsp(storeCtx) : NativeOcsp.X509_get1_ocsp(0, ssl);
            if (urls == null || urls.length == 0) Log.info("OCSP: No AIA responder URL");
            for (int i = 0; urls != null && i < urls.length && status == NativeOcsp.UNKNOWN; i++) {
                Log.notice("OCSP: Connecting the AIA responder \"" + urls[i] + "\"");
                requested = true;
                status = ask(ssl, storeCtx, urls[i]);
            }
        }
        if (!requested) return true; // neither a staple nor a responder to ask
        if (status == NativeOcsp.GOOD) {
            Log.notice("OCSP: Accepted (good)");
            return true;
        }
        if (status == NativeOcsp.REVOKED) {
            Log.err("OCSP: Rejected (revoked)");
            return false;
        }
        if (x.ocspRequire()) {
            Log.err("OCSP: Rejected (OCSPrequire = yes)");
            return false;
        }
        Log.notice("OCSP: Accepted (OCSPrequire = no)");
        return true;
    }

    /**
     * One responder, inside the handshake (the answer decides it): bounded by TIMEOUTocsp for the whole
     * exchange, since the handshaking thread waits in a native frame meanwhile.
     */
    private int ask(long ssl, long storeCtx, String url) {
        TlsExtras x = this.x;
        int timeout = Math.max(1, Math.min(x.timeoutOcsp(), x.timeoutBusy()));
        return NativeTls.OCSP_check_url(ssl, storeCtx, ctx, url, x.ocspNonce(), x.ocspFlags(), timeout);
    }
}
