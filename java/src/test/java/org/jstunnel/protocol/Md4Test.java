package org.jstunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 1320's test suite, and the NTLM password hash the proxy checks. */
class Md4Test {
    private static String md4(String s) {
        return HexFormat.of().formatHex(Md4.digest(s.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void rfc1320Vectors() {
        assertEquals("31d6cfe0d16ae931b73c59d7e0c089c0", md4(""));
        assertEquals("a448017aaf21d8525fc10ae87aa6729d", md4("abc"));
        assertEquals("d79e1c308aa5bbcdeea8ed63df412da9", md4("abcdefghijklmnopqrstuvwxyz"));
        assertEquals("e33b4ddc9c38f2199c3e7b164fcc0536",
                md4("12345678901234567890123456789012345678901234567890123456789012345678901234567890"));
    }

    @Test
    void ntlmHashOfPassword() {
        // the NT hash of "Password" (MD4 of its UTF-16LE form), a well-known value
        byte[] wide = "Password".getBytes(StandardCharsets.UTF_16LE);
        assertEquals("a4f49c406510bdcab6824ee7c30fd852", HexFormat.of().formatHex(Md4.digest(wide)));
    }

    @Test
    void type3CarriesDomainAndUserAndFitsWithoutDomain() {
        String challenge = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        byte[] withDomain = java.util.Base64.getDecoder().decode(Ntlm.type3("DOM", "user", "pw", challenge));
        assertEquals(64 + 24 + 3 + 4, withDomain.length);
        assertEquals("DOMuser", new String(withDomain, 88, 7, StandardCharsets.US_ASCII));
        byte[] noDomain = java.util.Base64.getDecoder().decode(Ntlm.type3("", "user", "pw", challenge));
        assertEquals(64 + 24 + 4, noDomain.length);
    }
}
