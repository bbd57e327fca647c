package org.jstunnel.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SslOptionNamesTest {

    /** stunnel 5.63's (and 5.75's) ssl_opts table, in its order. */
    static final List<String> STUNNEL_NAMES = List.of(
        "ALL", "ALLOW_CLIENT_RENEGOTIATION", "ALLOW_NO_DHE_KEX", "ALLOW_UNSAFE_LEGACY_RENEGOTIATION",
        "CIPHER_SERVER_PREFERENCE", "CISCO_ANYCONNECT", "CLEANSE_PLAINTEXT", "COOKIE_EXCHANGE",
        "CRYPTOPRO_TLSEXT_BUG", "DISABLE_TLSEXT_CA_NAMES", "DONT_INSERT_EMPTY_FRAGMENTS", "ENABLE_KTLS",
        "ENABLE_MIDDLEBOX_COMPAT", "EPHEMERAL_RSA", "IGNORE_UNEXPECTED_EOF", "LEGACY_SERVER_CONNECT",
        "MICROSOFT_BIG_SSLV3_BUFFER", "MICROSOFT_SESS_ID_BUG", "MSIE_SSLV2_RSA_PADDING", "NETSCAPE_CA_DN_BUG",
        "NETSCAPE_CHALLENGE_BUG", "NETSCAPE_DEMO_CIPHER_CHANGE_BUG", "NETSCAPE_REUSE_CIPHER_CHANGE_BUG",
        "NO_ANTI_REPLAY", "NO_COMPRESSION", "NO_DTLS_MASK", "NO_DTLSv1", "NO_DTLSv1_2", "NO_ENCRYPT_THEN_MAC",
        "NO_EXTENDED_MASTER_SECRET", "NO_QUERY_MTU", "NO_RENEGOTIATION", "NO_SESSION_RESUMPTION_ON_RENEGOTIATION",
        "NO_SSL_MASK", "NO_SSLv2", "NO_SSLv3", "NO_TICKET", "NO_TLSv1", "NO_TLSv1_1", "NO_TLSv1_2", "NO_TLSv1_3",
        "PKCS1_CHECK_1", "PKCS1_CHECK_2", "PRIORITIZE_CHACHA", "SAFARI_ECDHE_ECDSA_BUG", "SINGLE_DH_USE",
        "SINGLE_ECDH_USE", "SSLEAY_080_CLIENT_DH_BUG", "SSLREF2_REUSE_CERT_TYPE_BUG", "TLS_BLOCK_PADDING_BUG",
        "TLS_D5_BUG", "TLSEXT_PADDING", "TLS_ROLLBACK_BUG");

    @Test
    void namesAreStunnelsInItsOrder() {
        assertEquals(STUNNEL_NAMES, List.copyOf(SslOptionNames.all().keySet()));
    }

    /** Every value, compared with what the C compiler makes of the installed <openssl/ssl.h>. */
    @Test
    void valuesMatchTheOpenSslHeader(@TempDir Path dir) throws Exception {
        StringBuilder c = new StringBuilder();
        c.append("#include <stdio.h>\n#include <openssl/ssl.h>\nint main(void) {\n");
        for (String n : SslOptionNames.all().keySet()) {
            c.append("#ifdef SSL_OP_").append(n).append('\n')
             .append("    printf(\"%s %llu\\n\", \"").append(n).append("\", (unsigned long long)(SSL_OP_").append(n).append("));\n")
             .append("#else\n")
             .append("    printf(\"%s MISSING\\n\", \"").append(n).append("\");\n")
             .append("#endif\n");
        }
        c.append("    return 0;\n}\n");
        Path src = dir.resolve("ssl_op.c"), exe = dir.resolve("ssl_op");
        Files.writeString(src, c);
        String gccOut = run(List.of("gcc", "-Wall", "-o", exe.toString(), src.toString()));
        assertTrue(Files.isExecutable(exe), "gcc failed: " + gccOut);
        Map<String, String> fromC = new LinkedHashMap<>();
        for (String line : run(List.of(exe.toString())).split("\n")) {
            if (line.isBlank()) continue;
            String[] p = line.trim().split(" ");
            fromC.put(p[0], p[1]);
        }
        Map<String, String> fromJava = new LinkedHashMap<>();
        SslOptionNames.all().forEach((k, v) -> fromJava.put(k, Long.toUnsignedString(v)));
        assertEquals(fromC, fromJava);
    }

    @Test
    void namesMatchTheRealStunnel() throws Exception {
        Path stunnel = Path.of("/usr/bin/stunnel4");
        org.junit.jupiter.api.Assertions.assertTrue(Files.isExecutable(stunnel), "stunnel4 not installed");
        List<String> names = new ArrayList<>();
        for (String line : run(List.of(stunnel.toString(), "-options")).split("\n"))
            if (line.startsWith("options = ")) names.add(line.substring("options = ".length()));
        assertEquals(names, List.copyOf(SslOptionNames.all().keySet()));
    }

    @Test
    void parseIsCaseInsensitive() {
        assertEquals(1L << 14, SslOptionNames.parse("NO_TICKET"));
        assertEquals(1L << 14, SslOptionNames.parse("no_ticket"));
        assertEquals(1L << 29, SslOptionNames.parse("No_TlsV1_3"));
        assertEquals(0L, SslOptionNames.parse("NO_SSLv2"));          // obsolete, still a valid name
        assertEquals(0L, SslOptionNames.parse("single_dh_use"));
        assertEquals(0x80000850L, SslOptionNames.parse("ALL"));
        assertTrue(SslOptionNames.find("nO_sSlV3").isPresent());
        assertFalse(SslOptionNames.find("NO_SUCH_OPTION").isPresent());
        assertFalse(SslOptionNames.find("SSL_OP_NO_TICKET").isPresent()); // no prefix, as stunnel
        assertFalse(SslOptionNames.find(null).isPresent());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SslOptionNames.parse("BOGUS"));
        assertEquals("Illegal TLS option", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SslOptionNames.parse(""));
    }

    @Test
    void settingLines() {
        assertEquals(new SslOptionNames.Setting(true, 1L << 14), SslOptionNames.parseSetting("NO_TICKET"));
        assertEquals(new SslOptionNames.Setting(false, 1L << 14), SslOptionNames.parseSetting("-no_ticket"));
        assertThrows(IllegalArgumentException.class, () -> SslOptionNames.parseSetting("-"));
        assertThrows(IllegalArgumentException.class, () -> SslOptionNames.parseSetting("--NO_TICKET"));
    }

    @Test
    void stunnelsDefaults() {
        assertEquals(1L << 25, SslOptionNames.DEFAULT_SET);                      // NO_SSLv2 (0) | NO_SSLv3
        assertEquals(1L << 17, SslOptionNames.DEFAULT_CLEAR);                    // NO_COMPRESSION
        assertEquals(SslOptionNames.DEFAULT_SET | (1L << 14), SslOptionNames.defaultSet(false, false));
        assertEquals(SslOptionNames.DEFAULT_SET, SslOptionNames.defaultSet(false, true));
        assertEquals(SslOptionNames.DEFAULT_SET, SslOptionNames.defaultSet(true, false));
        assertThrows(UnsupportedOperationException.class, () -> SslOptionNames.all().put("X", 1L));
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String(out, StandardCharsets.UTF_8);
    }
}
