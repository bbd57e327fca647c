package org.jstunnel.ssl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The names stunnel accepts for {@code options = NAME} (its {@code ssl_opts} table, identical in
 * stunnel 5.63 through 5.75), each with the value of {@code SSL_OP_NAME} in OpenSSL 3.0's
 * {@code <openssl/ssl.h>}. Every one of stunnel's 53 names exists in OpenSSL 3.0; 19 of them are
 * obsolete there and defined as 0 (still valid names: setting them does nothing).
 *
 * <p>The order is stunnel's, which is also what {@code -options} prints. SslOptionNamesTest compiles a
 * C program against the installed header and compares every value, so this table cannot drift.
 */
public final class SslOptionNames {
    private SslOptionNames() {}

    private static long bit(int n) { return 1L << n; }

    private static final Map<String, Long> BY_NAME;
    static {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ALL", bit(31) | bit(11) | bit(6) | bit(4));  // CRYPTOPRO_TLSEXT_BUG|DONT_INSERT_EMPTY_FRAGMENTS|SAFARI_ECDHE_ECDSA_BUG|TLSEXT_PADDING
        m.put("ALLOW_CLIENT_RENEGOTIATION", bit(8));
        m.put("ALLOW_NO_DHE_KEX", bit(10));
        m.put("ALLOW_UNSAFE_LEGACY_RENEGOTIATION", bit(18));
        m.put("CIPHER_SERVER_PREFERENCE", bit(22));
        m.put("CISCO_ANYCONNECT", bit(15));
        m.put("CLEANSE_PLAINTEXT", bit(1));
        m.put("COOKIE_EXCHANGE", bit(13));
        m.put("CRYPTOPRO_TLSEXT_BUG", bit(31));
        m.put("DISABLE_TLSEXT_CA_NAMES", bit(9));
        m.put("DONT_INSERT_EMPTY_FRAGMENTS", bit(11));
        m.put("ENABLE_KTLS", bit(3));
        m.put("ENABLE_MIDDLEBOX_COMPAT", bit(20));
        m.put("EPHEMERAL_RSA", 0L);
        m.put("IGNORE_UNEXPECTED_EOF", bit(7));
        m.put("LEGACY_SERVER_CONNECT", bit(2));
        m.put("MICROSOFT_BIG_SSLV3_BUFFER", 0L);
        m.put("MICROSOFT_SESS_ID_BUG", 0L);
        m.put("MSIE_SSLV2_RSA_PADDING", 0L);
        m.put("NETSCAPE_CA_DN_BUG", 0L);
        m.put("NETSCAPE_CHALLENGE_BUG", 0L);
        m.put("NETSCAPE_DEMO_CIPHER_CHANGE_BUG", 0L);
        m.put("NETSCAPE_REUSE_CIPHER_CHANGE_BUG", 0L);
        m.put("NO_ANTI_REPLAY", bit(24));
        m.put("NO_COMPRESSION", bit(17));
        m.put("NO_DTLS_MASK", bit(26) | bit(27));            // NO_DTLSv1|NO_DTLSv1_2
        m.put("NO_DTLSv1", bit(26));
        m.put("NO_DTLSv1_2", bit(27));
        m.put("NO_ENCRYPT_THEN_MAC", bit(19));
        m.put("NO_EXTENDED_MASTER_SECRET", bit(0));
        m.put("NO_QUERY_MTU", bit(12));
        m.put("NO_RENEGOTIATION", bit(30));
        m.put("NO_SESSION_RESUMPTION_ON_RENEGOTIATION", bit(16));
        m.put("NO_SSL_MASK", bit(25) | bit(26) | bit(28) | bit(27) | bit(29)); // NO_SSLv3|NO_TLSv1|…|NO_TLSv1_3
        m.put("NO_SSLv2", 0L);
        m.put("NO_SSLv3", bit(25));
        m.put("NO_TICKET", bit(14));
        m.put("NO_TLSv1", bit(26));
        m.put("NO_TLSv1_1", bit(28));
        m.put("NO_TLSv1_2", bit(27));
        m.put("NO_TLSv1_3", bit(29));
        m.put("PKCS1_CHECK_1", 0L);
        m.put("PKCS1_CHECK_2", 0L);
        m.put("PRIORITIZE_CHACHA", bit(21));
        m.put("SAFARI_ECDHE_ECDSA_BUG", bit(6));
        m.put("SINGLE_DH_USE", 0L);
        m.put("SINGLE_ECDH_USE", 0L);
        m.put("SSLEAY_080_CLIENT_DH_BUG", 0L);
        m.put("SSLREF2_REUSE_CERT_TYPE_BUG", 0L);
        m.put("TLS_BLOCK_PADDING_BUG", 0L);
        m.put("TLS_D5_BUG", 0L);
        m.put("TLSEXT_PADDING", bit(4));
        m.put("TLS_ROLLBACK_BUG", bit(23));
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private static final Map<String, Long> BY_UPPER_NAME;
    static {
        Map<String, Long> m = new LinkedHashMap<>();
        BY_NAME.forEach((k, v) -> m.put(k.toUpperCase(Locale.ROOT), v));
        BY_UPPER_NAME = Collections.unmodifiableMap(m);
    }

    /** Options stunnel always sets on a new SSL_CTX, before the user's: NO_SSLv2|NO_SSLv3. */
    public static final long DEFAULT_SET = BY_NAME.get("NO_SSLv2") | BY_NAME.get("NO_SSLv3");

    /** Options stunnel always clears on a new SSL_CTX, before the user's: NO_COMPRESSION (it has its own switch). */
    public static final long DEFAULT_CLEAR = BY_NAME.get("NO_COMPRESSION");

    /** Every name (without the SSL_OP_ prefix) → its value, in stunnel's order. Unmodifiable. */
    public static Map<String, Long> all() { return BY_NAME; }

    /** The value of a name, matched case-insensitively as stunnel does (strcasecmp); empty if unknown. */
    public static OptionalLong find(String name) {
        if (name == null) return OptionalLong.empty();
        Long v = BY_UPPER_NAME.get(name.toUpperCase(Locale.ROOT));
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /**
     * The value of a name, case-insensitively.
     *
     * @throws IllegalArgumentException with stunnel's message "Illegal TLS option" if the name is unknown
     */
    public static long parse(String name) {
        OptionalLong v = find(name);
        if (v.isEmpty()) throw new IllegalArgumentException("Illegal TLS option");
        return v.getAsLong();
    }

    /**
     * One {@code options = ARG} line: {@code NAME} sets the option, {@code -NAME} clears it.
     *
     * @throws IllegalArgumentException "Illegal TLS option" if the name is unknown
     */
    public static Setting parseSetting(String arg) {
        if (arg.startsWith("-")) return new Setting(false, parse(arg.substring(1)));
        return new Setting(true, parse(arg));
    }

    /** What one {@code options} line does: set ({@code set == true}) or clear the bits of {@code value}. */
    public record Setting(boolean set, long value) {}

    /**
     * What stunnel sets on every new SSL_CTX before the user's options: {@link #DEFAULT_SET}, plus
     * NO_TICKET for a server with {@code sessionResume = no} (no TLS 1.2 tickets at all, a stateful
     * ticket in TLS 1.3). Then it clears {@link #DEFAULT_CLEAR}, then sets the user's "set" options,
     * then clears the user's "-NAME" options.
     */
    public static long defaultSet(boolean client, boolean sessionResume) {
        long v = DEFAULT_SET;
        if (!client && !sessionResume) v |= BY_NAME.get("NO_TICKET");
        return v;
    }
}
