package org.jstunnel.service;

import java.util.List;
import org.jstunnel.config.Address;
import org.jstunnel.config.ServiceOptions;
import org.jstunnel.ssl.SslOptionNames;
import org.jstunnel.ssl.TlsSettings;
import org.jstunnel.ssl.TlsVersions;

/** Reads a service's TLS options with stunnel's semantics into {@link TlsSettings}. */
final class TlsSettingsReader {
    private TlsSettingsReader() {}

    static TlsSettings read(ServiceOptions o) {
        boolean client = o.bool("client");
        boolean verifyChain = o.bool("verifyChain");
        boolean verifyPeer = o.bool("verifyPeer");
        boolean requireCert = o.isSet("requireCert") ? o.bool("requireCert") : verifyChain || verifyPeer;
        boolean requestCert = verifyChain || verifyPeer || requireCert;
        int min = 0, max = 0;
        if (o.isSet("sslVersion")) {
            min = max = TlsVersions.parse(o.string("sslVersion"));
        } else {
            if (o.string("sslVersionMin") != null) min = TlsVersions.parse(o.string("sslVersionMin"));
            if (o.string("sslVersionMax") != null) max = TlsVersions.parse(o.string("sslVersionMax"));
        }
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
            verifyChain, verifyPeer, requestCert, requireCert,
            o.strings("checkHost"), o.strings("checkEmail"), o.strings("checkIP"),
            Math.max(min, 0), Math.max(max, 0),
            o.string("ciphers"), o.string("ciphersuites"), o.string("curves"),
            o.isSet("securityLevel") ? o.integer("securityLevel") : -1,
            set, clear, client ? sni(o) : null);
    }

    /** Client mode: {@code sni} if given (empty disables), else the first {@code connect} host, as stunnel. */
    private static String sni(ServiceOptions o) {
        if (o.isSet("sni")) return o.string("sni");
        List<Address> connect = o.connect();
        if (connect.isEmpty() || connect.get(0).isUnix()) return null;
        String raw = o.strings("connect").isEmpty() ? null : o.strings("connect").get(0);
        if (raw == null) return null;
        int colon = raw.lastIndexOf(':');
        return colon < 0 ? "localhost" : raw.substring(0, colon);
    }
}
