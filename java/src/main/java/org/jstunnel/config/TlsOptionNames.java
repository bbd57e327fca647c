package org.jstunnel.config;

import java.util.List;
import java.util.Locale;

/**
 * The names {@code options = NAME} accepts: stunnel 5.63's ssl_opts table, every entry of which
 * OpenSSL 3.0 defines (so all are present on Linux). Case-insensitive, as stunnel's strcasecmp.
 */
public final class TlsOptionNames {
    private static final List<String> NAMES = List.of(
            "ALL", "ALLOW_CLIENT_RENEGOTIATION", "ALLOW_NO_DHE_KEX", "ALLOW_UNSAFE_LEGACY_RENEGOTIATION",
            "CIPHER_SERVER_PREFERENCE", "CISCO_ANYCONNECT", "CLEANSE_PLAINTEXT", "COOKIE_EXCHANGE",
            "CRYPTOPRO_TLSEXT_BUG", "DISABLE_TLSEXT_CA_NAMES", "DONT_INSERT_EMPTY_FRAGMENTS", "ENABLE_KTLS",
            "ENABLE_MIDDLEBOX_COMPAT", "EPHEMERAL_RSA", "IGNORE_UNEXPECTED_EOF", "LEGACY_SERVER_CONNECT",
            "MICROSOFT_BIG_SSLV3_BUFFER", "MICROSOFT_SESS_ID_BUG", "MSIE_SSLV2_RSA_PADDING", "NETSCAPE_CA_DN_BUG",
            "NETSCAPE_CHALLENGE_BUG", "NETSCAPE_DEMO_CIPHER_CHANGE_BUG", "NETSCAPE_REUSE_CIPHER_CHANGE_BUG",
            "NO_ANTI_REPLAY", "NO_COMPRESSION", "NO_DTLS_MASK", "NO_DTLSv1", "NO_DTLSv1_2",
            "NO_ENCRYPT_THEN_MAC", "NO_EXTENDED_MASTER_SECRET", "NO_QUERY_MTU", "NO_RENEGOTIATION",
            "NO_SESSION_RESUMPTION_ON_RENEGOTIATION", "NO_SSL_MASK", "NO_SSLv2", "NO_SSLv3", "NO_TICKET",
            "NO_TLSv1", "NO_TLSv1_1", "NO_TLSv1_2", "NO_TLSv1_3", "PKCS1_CHECK_1", "PKCS1_CHECK_2",
            "PRIORITIZE_CHACHA", "SAFARI_ECDHE_ECDSA_BUG", "SINGLE_DH_USE", "SINGLE_ECDH_USE",
            "SSLEAY_080_CLIENT_DH_BUG", "SSLREF2_REUSE_CERT_TYPE_BUG", "TLS_BLOCK_PADDING_BUG", "TLS_D5_BUG",
            "TLSEXT_PADDING", "TLS_ROLLBACK_BUG");

    private TlsOptionNames() {}

    /** In stunnel's order, which is what {@code stunnel -options} prints. */
    public static List<String> all() {
        return NAMES;
    }

    /** @return the canonical spelling, or null if unknown */
    public static String canonical(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String n : NAMES) {
            if (n.toUpperCase(Locale.ROOT).equals(upper)) return n;
        }
        return null;
    }
}
