package org.jstunnel.ssl;

import java.util.List;

/**
 * The TLS options of issue 3 for one service, read from its configuration by
 * {@code service.TlsExtrasReader}: revocation, session cache and tickets, PSK, SSL_CONF commands,
 * renegotiation, OCSP and the DH parameters file. Kept apart from {@link TlsSettings} so the two can
 * grow independently; an {@link SslContext} carries both.
 */
public record TlsExtras(
    String crlFile,             // null: none
    String crlPath,             // null: none
    boolean sessionResume,
    int sessionCacheSize,
    int sessionCacheTimeout,
    byte[] ticketKey,           // null unless both ticket secrets are set (server mode)
    byte[] ticketMac,
    PskTable psk,               // null: no PSKsecrets
    List<String> config,        // SSL_CONF "COMMAND[:PARAMETER]" lines, in order
    boolean renegotiation,
    String ocspUrl,             // null: none
    boolean ocspAia,
    long ocspFlags,             // OCSP_* flags for OCSP_basic_verify
    boolean ocspNonce,
    int timeoutBusy,            // OCSP exchange timeout (stunnel uses TIMEOUTbusy)
    boolean ocspRequire,        // 5.75 OCSPrequire: an inconclusive OCSP answer rejects
    int timeoutOcsp,            // 5.75 TIMEOUTocsp: seconds to connect an OCSP responder
    List<String> caEngine,      // 5.75 CAengine: CA certificate ids loaded through the service's engine
    String caStore,             // 5.75 CAstore: OSSL_STORE URI of CA certificates; null: none
    int logLevel                // the service's debug level: the stapling refresher logs with it
) {
    /** stunnel's defaults: no CRLs, resumption with 1000 entries for 300 s, renegotiation allowed, no OCSP. */
    public static TlsExtras defaults() {
        return new TlsExtras(null, null, true, 1000, 300, null, null, null, List.of(), true,
            null, false, 0, false, 300, true, 5, List.of(), null, 5);
    }

    public boolean ocspEnabled() { return ocspUrl != null || ocspAia; }
}
