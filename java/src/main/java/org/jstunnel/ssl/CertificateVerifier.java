package org.jstunnel.ssl;

import org.jstunnel.log.Log;
import org.jstunnel.log.LogContext;

/**
 * stunnel's certificate policy (verifyChain, verifyPeer, checkHost/checkEmail/checkIP), called by
 * OpenSSL for each certificate of the peer's chain. Logs what stunnel logs, in the connection's context.
 */
public final class CertificateVerifier implements SslCallbacks {
    // X509_V_ERR_* that verifyPeer tolerates at depth 0: the leaf itself is trusted locally
    private static final int UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20;
    private static final int UNABLE_TO_VERIFY_LEAF_SIGNATURE = 21;
    private static final int CERT_UNTRUSTED = 27;
    private static final int SELF_SIGNED_CERT_IN_CHAIN = 19;
    private static final int DEPTH_ZERO_SELF_SIGNED_CERT = 18;

    private final TlsSettings s;
    private final LogContext logContext;

    public CertificateVerifier(TlsSettings settings, LogContext logContext) {
        this.s = settings;
        this.logContext = logContext;
    }

    @Override
    public boolean verify(boolean preverifyOk, int depth, int error, long storeCtx) {
        Log.setContext(logContext); // upcall runs on the handshaking thread, which has it already; be sure
        if (!s.verifyChain() && !s.verifyPeer()) {
            Log.info("CERT: Certificate verification disabled");
            return true;
        }
        String subject = NativeSsl.X509_STORE_CTX_current_subject(storeCtx);
        Log.debug("Verification started at depth=" + depth + ": " + subject);
        if (!certCheck(preverifyOk, depth, error, storeCtx)) {
            Log.warning("Rejected by CERT at depth=" + depth + ": " + subject);
            return false;
        }
        Log.log(depth > 0 ? org.jstunnel.log.LogLevel.INFO : org.jstunnel.log.LogLevel.NOTICE,
            "Certificate accepted at depth=" + depth + ": " + subject);
        return true;
    }

    private boolean certCheck(boolean preverifyOk, int depth, int error, long storeCtx) {
        if (preverifyOk) {
            Log.debug("CERT: Pre-verification succeeded");
        } else {
            // verifyPeer alone ignores chain errors, except at the leaf for anything but "issuer unknown"
            boolean leafError = depth == 0 && error != UNABLE_TO_GET_ISSUER_CERT_LOCALLY
                && error != UNABLE_TO_VERIFY_LEAF_SIGNATURE && error != CERT_UNTRUSTED;
            if (s.verifyChain() || leafError) {
                boolean notFound = error == SELF_SIGNED_CERT_IN_CHAIN || error == DEPTH_ZERO_SELF_SIGNED_CERT;
                Log.warning("CERT: Pre-verification error: " + (notFound ? "certificate not found in local repository: " : "")
                    + NativeSsl.X509_verify_cert_error_string(error));
                return false;
            }
            Log.info("CERT: Pre-verification error ignored: " + NativeSsl.X509_verify_cert_error_string(error));
        }
        if (depth == 0) {
            if (!subjectCheck(storeCtx)) return false;
            if (s.verifyPeer() && !NativeSsl.X509_STORE_CTX_cert_in_store(storeCtx)) {
                Log.warning("CERT: Certificate not found in local repository");
                NativeSsl.X509_STORE_CTX_set_error(storeCtx, NativeSsl.X509_V_ERR_CERT_REJECTED);
                return false;
            }
        }
        return true;
    }

    private boolean subjectCheck(long storeCtx) {
        if (s.checkHost().isEmpty() && s.checkEmail().isEmpty() && s.checkIp().isEmpty()) {
            Log.info("CERT: No subject checks configured");
            return true;
        }
        for (String host : s.checkHost())
            if (NativeSsl.X509_check_host(storeCtx, host)) {
                Log.info("CERT: Host name \"" + host + "\" matched");
                return true;
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
        // without an error code OpenSSL would report "ok" and send a generic alert
        NativeSsl.X509_STORE_CTX_set_error(storeCtx, NativeSsl.X509_V_ERR_APPLICATION_VERIFICATION);
        return false;
    }
}
