package org.jstunnel.ssl;

import java.util.List;

/**
 * The TLS part of one service, already read from the configuration: everything an SSL_CTX and its
 * verification policy need. Built by {@code service.TlsSettingsReader}; decisions live here, in Java.
 */
public record TlsSettings(
    String serviceName,
    boolean client,
    String cert,
    String key,
    String caFile,
    String caPath,
    boolean verifyChain,
    boolean verifyPeer,
    boolean requestCert,
    boolean requireCert,
    List<String> checkHost,
    List<String> checkEmail,
    List<String> checkIp,
    int minVersion,           // 0: no bound
    int maxVersion,           // 0: no bound
    String ciphers,           // null: OpenSSL's default
    String ciphersuites,      // null: OpenSSL's default
    String curves,            // null: OpenSSL's default
    int securityLevel,        // -1: stunnel's default
    long optionsSet,
    long optionsClear,
    String sni,               // client: server name to send; null/empty: none
    String engineId,          // engineId: the engine cert/key are loaded through; null: none
    int engineNum             // engineNum (1-based) when engineId is not set; 0: none
) {
    /** Without an engine (the fields before engineId/engineNum were added). */
    public TlsSettings(String serviceName, boolean client, String cert, String key, String caFile, String caPath,
            boolean verifyChain, boolean verifyPeer, boolean requestCert, boolean requireCert, List<String> checkHost,
            List<String> checkEmail, List<String> checkIp, int minVersion, int maxVersion, String ciphers,
            String ciphersuites, String curves, int securityLevel, long optionsSet, long optionsClear, String sni) {
        this(serviceName, client, cert, key, caFile, caPath, verifyChain, verifyPeer, requestCert, requireCert,
            checkHost, checkEmail, checkIp, minVersion, maxVersion, ciphers, ciphersuites, curves, securityLevel,
            optionsSet, optionsClear, sni, null, 0);
    }
}
