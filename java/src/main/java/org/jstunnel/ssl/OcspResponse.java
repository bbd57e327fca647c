package org.jstunnel.ssl;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.jstunnel.log.Log;
import org.jstunnel.log.LogLevel;

/**
 * stunnel 5.75's ocsp_response_validate: one OCSP response for the leaf checked (OpenSSL's part in
 * {@link NativeOcsp#OCSP_response_check}) and logged in stunnel's words; the outcome is GOOD, REVOKED
 * or UNKNOWN (anything inconclusive: no answer, a bad signature, a stale response).
 */
record OcspResponse(int status, long thisUpdate, long nextUpdate) {
    private static final DateTimeFormatter STUNNEL_TIME = DateTimeFormatter.ofPattern("yyyy.MM.dd HH:mm:ss");
    static final OcspResponse INCONCLUSIVE = new OcspResponse(NativeOcsp.UNKNOWN, -1, -1);

    boolean conclusive() { return status != NativeOcsp.UNKNOWN; }

    /**
     * Checks {@code der} (null: the SSL's staple) against the chain {@link NativeOcsp#OCSP_response_check}
     * picks. Returns null when there was no staple to check.
     */
    static OcspResponse validate(long ctx, long ssl, long storeCtx, byte[] der, long flags, int leeway) {
        return validate(ctx, ssl, storeCtx, der, flags, leeway, null);
    }

    /** As above; {@code found}, when not null, is logged first once there is a response to check. */
    static OcspResponse validate(long ctx, long ssl, long storeCtx, byte[] der, long flags, int leeway, String found) {
        long[] r = null;
        OpenSslException failed = null;
        try {
            r = NativeOcsp.OCSP_response_check(ctx, ssl, storeCtx, der, flags);
            if (r == null) return null;
        } catch (OpenSslException e) {
            failed = e;
        }
        if (found != null) Log.info(found);
        Log.debug("OCSP: Validate the OCSP response");
        if (failed != null) {
            switch (failed.call()) {
                case "d2i_OCSP_RESPONSE" -> Log.err("OCSP: No OCSP response");
                case "OCSP_response_get1_basic", "OCSP_resp_find_status" -> Log.warning("OCSP: " + failed.call());
                default -> sslError("OCSP: " + failed.call(), failed);
            }
            return INCONCLUSIVE;
        }
        if (r[0] == NativeOcsp.RESPONDER_ERROR) {
            Log.err("OCSP: OCSP responder error: " + r[1] + ": " + responseStatus((int) r[1]));
            return INCONCLUSIVE;
        }
        int status = (int) r[0];
        Log.info("OCSP: Status: " + certStatus(status));
        logTime(LogLevel.INFO, "OCSP: This update", r[2]);
        if (r[3] >= 0) logTime(LogLevel.INFO, "OCSP: Next update", r[3]);
        try {
            NativeOcsp.OCSP_check_validity(r[2], r[3], leeway);
        } catch (OpenSslException e) {
            sslError("OCSP: OCSP_check_validity", e);
            status = NativeOcsp.UNKNOWN; // an invalid response overridden
        }
        switch (status) {
            case NativeOcsp.GOOD -> Log.notice("OCSP: Certificate accepted");
            case NativeOcsp.REVOKED -> {
                Log.err(r[1] == -1 ? "OCSP: Certificate revoked"
                    : "OCSP: Certificate revoked: " + r[1] + ": " + crlReason((int) r[1]));
                logTime(LogLevel.NOTICE, "OCSP: Revoked at", r[4]);
            }
            default -> Log.warning("OCSP: Unknown verification status");
        }
        return new OcspResponse(status, r[2], r[3]);
    }

    /** stunnel's sslerror: the queue, oldest first, or the call alone. */
    static void sslError(String txt, OpenSslException e) {
        if (e.queue().isEmpty()) {
            Log.err(txt);
            return;
        }
        for (String q : e.queue()) Log.err(txt + ": " + q);
    }

    /** ocsp.c log_time (5.75): local time as yyyy.MM.dd HH:mm:ss. */
    private static void logTime(int level, String txt, long epochSeconds) {
        if (epochSeconds < 0) return;
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneId.systemDefault());
        Log.log(level, txt + ": " + STUNNEL_TIME.format(t));
    }

    /** OCSP_cert_status_str. */
    static String certStatus(int s) {
        return switch (s) {
            case 0 -> "good";
            case 1 -> "revoked";
            case 2 -> "unknown";
            default -> "(UNKNOWN)";
        };
    }

    /** OCSP_response_status_str. */
    static String responseStatus(int s) {
        return switch (s) {
            case 0 -> "successful";
            case 1 -> "malformedrequest";
            case 2 -> "internalerror";
            case 3 -> "trylater";
            case 5 -> "sigrequired";
            case 6 -> "unauthorized";
            default -> "(UNKNOWN)";
        };
    }

    /** OCSP_crl_reason_str. */
    static String crlReason(int r) {
        return switch (r) {
            case 0 -> "unspecified";
            case 1 -> "keyCompromise";
            case 2 -> "cACompromise";
            case 3 -> "affiliationChanged";
            case 4 -> "superseded";
            case 5 -> "cessationOfOperation";
            case 6 -> "certificateHold";
            case 8 -> "removeFromCRL";
            case 9 -> "privilegeWithdrawn";
            case 10 -> "aACompromise";
            default -> "(UNKNOWN)";
        };
    }
}
