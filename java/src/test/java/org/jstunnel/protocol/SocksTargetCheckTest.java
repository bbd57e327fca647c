package org.jstunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every form of this host's own address is refused as a SOCKS target; others pass. */
class SocksTargetCheckTest {
    private static boolean allowed(String ip) throws Exception {
        return SocksTargetCheck.allowed(List.of(new InetSocketAddress(InetAddress.getByName(ip), 80)));
    }

    private static boolean allowed6(String hex) throws Exception {
        byte[] b = java.util.HexFormat.of().parseHex(hex); // raw bytes: getByName would fold mapped forms
        return SocksTargetCheck.allowed(List.of(new InetSocketAddress(InetAddress.getByAddress(b), 80)));
    }

    @Test
    void loopbackFormsAreRefused() throws Exception {
        for (String ip : List.of("127.0.0.1", "127.9.8.7", "0.0.0.0", "0.1.2.3", "::1", "::")) {
            assertFalse(allowed(ip), ip);
        }
        assertFalse(allowed6("00000000000000000000ffff7f000001"), "::ffff:127.0.0.1");
        assertFalse(allowed6("00000000000000000000ffff00000000"), "::ffff:0.0.0.0");
        assertFalse(allowed6("0000000000000000000000007f000001"), "::127.0.0.1");
    }

    @Test
    void otherAddressesPass() throws Exception {
        for (String ip : List.of("10.213.1.2", "192.0.2.7", "2001:db8::1", "::ffff:192.0.2.7")) {
            assertTrue(allowed(ip), ip);
        }
        assertTrue(allowed6("20010db8000000000000000000000001"));
    }
}
