package org.jstunnel.ssl;

import java.util.Locale;

/** stunnel's protocol names (sslVersion, sslVersionMin, sslVersionMax) → OpenSSL version numbers. */
public final class TlsVersions {
    private TlsVersions() {}

    /** 0 for "all" (no bound); -1 for a name OpenSSL 3 cannot do (SSLv2). */
    public static int parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "all" -> 0;
            case "sslv3" -> NativeSsl.SSL3_VERSION;
            case "tlsv1", "tlsv1.0" -> NativeSsl.TLS1_VERSION;
            case "tlsv1.1" -> NativeSsl.TLS1_1_VERSION;
            case "tlsv1.2" -> NativeSsl.TLS1_2_VERSION;
            case "tlsv1.3" -> NativeSsl.TLS1_3_VERSION;
            default -> -1;
        };
    }
}
