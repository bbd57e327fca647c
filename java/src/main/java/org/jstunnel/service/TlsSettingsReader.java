package org.jstunnel.service;

import org.jstunnel.config.ServiceOptions;
import org.jstunnel.ssl.FipsMode;
import org.jstunnel.ssl.GlobalCrypto;
import org.jstunnel.ssl.SslOptionNames;
import org.jstunnel.ssl.TlsSettings;
import org.jstunnel.ssl.TlsVersions;

/** Reads a service's TLS options with stunnel's semantics into {@link TlsSettings}. */
final class TlsSettingsReader {
    private TlsSettingsReader() {}

    static TlsSettings read(ServiceOptions o) {
        boolean client = o.bool("client");
        long set = 0, clear = 0;
        for (String name : o.strings("options")) {
            String n = name.trim();
            if (n.startsWith("-")) clear |= SslOptionNames.parse(n.substring(1));
            else set |= SslOptionNames.parse(n);
        }
        String cert = o.string("cert");
        String key = o.string("key");
        return new TlsSettings(o.name(), client, cert, key != null ? key : cert,
            o.string("CAfile"), o.string("CApath"),
            o.bool("verifyChain"), o.bool("verifyPeer"), o.requestCert(),
            // verify.c: with redirect targets a client without a certificate is redirected, not refused
            o.bool("requireCert") && o.strings("redirect").isEmpty(),
            o.strings("checkHost"), o.strings("checkEmail"), o.strings("checkIP"),
            version(o.string("sslVersionMin")), version(o.string("sslVersionMax")),
            ciphers(o), o.string("ciphersuites"), curves(o),
            o.isSet("securityLevel") ? o.integer("securityLevel") : -1,
            set, clear, o.sniServerName(),
            o.string("engineId"), o.isSet("engineNum") ? o.integer("engineNum") : 0);
    }

    /** stunnel's defaults in FIPS mode: "FIPS:!DH:!kDHEPSK" unless ciphers is set (options.c). */
    private static String ciphers(ServiceOptions o) {
        return GlobalCrypto.fipsEnabled() && !o.isSet("ciphers") ? FipsMode.CIPHERS : o.string("ciphers");
    }

    /** stunnel's defaults in FIPS mode: "P-256:P-521:P-384" unless curves is set (options.c). */
    private static String curves(ServiceOptions o) {
        return GlobalCrypto.fipsEnabled() && !o.isSet("curves") ? FipsMode.CURVES : o.string("curves");
    }

    private static int version(String name) {
        return name == null ? 0 : Math.max(TlsVersions.parse(name), 0);
    }
}
