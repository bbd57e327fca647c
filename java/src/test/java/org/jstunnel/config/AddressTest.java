package org.jstunnel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressTest {
    private static final String ANY = Address.ANY_IPV4;

    @Test
    void aBarePortTakesTheDefaultHost() {
        assertEquals(new Address("0.0.0.0", 443, null), Address.parse("443", ANY));
        assertEquals(new Address("localhost", 143, null), Address.parse("143", Address.LOCALHOST));
        assertEquals(new Address("0.0.0.0", 0, null), Address.parse("0", ANY), "port 0 lets the kernel choose");
    }

    @Test
    void hostAndPortSplitAtTheLastColon() {
        assertEquals(new Address("example.com", 8443, null), Address.parse("example.com:8443", ANY));
        assertEquals(new Address("127.0.0.1", 1080, null), Address.parse("127.0.0.1:1080", ANY));
        assertEquals(new Address("::", 443, null), Address.parse(":::443", ANY), "all IPv6 addresses");
        assertEquals(new Address("::1", 8443, null), Address.parse("::1:8443", ANY));
        assertEquals(new Address("fe80::1%eth0", 22, null), Address.parse("fe80::1%eth0:22", ANY));
        // as stunnel: "::1" is host ":" port 1 (which then fails to resolve)
        assertEquals(new Address(":", 1, null), Address.parse("::1", ANY));
    }

    @Test
    void bracketedIpv6IsAcceptedToo() {
        assertEquals(new Address("::1", 443, null), Address.parse("[::1]:443", ANY));
        assertEquals("::1:443", Address.parse("[::1]:443", ANY).toString());
    }

    @Test
    void aPathIsAUnixSocket() {
        Address a = Address.parse("/run/app.sock", ANY);
        assertTrue(a.isUnix());
        assertEquals("/run/app.sock", a.unixPath());
        assertNull(a.host());
        assertEquals("/run/app.sock", a.toString());
        assertFalse(Address.parse("1", ANY).isUnix());
        assertEquals("Unix socket path is too long",
                assertThrows(IllegalArgumentException.class, () -> Address.parse("/" + "p".repeat(107), ANY)).getMessage());
        assertTrue(Address.parse("/" + "p".repeat(106), ANY).isUnix());
    }

    @Test
    void badPortsAreUnknownServices() {
        for (String bad : new String[] {"65536", "99999", "-1", "", "host:", "12a", "no-such-service-name"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Address.parse(bad, ANY), bad);
            assertTrue(e.getMessage().startsWith("Unknown TCP service \""), e.getMessage());
        }
        assertEquals(65535, Address.parse("65535", ANY).port());
        assertEquals("Empty host name in \":443\"",
                assertThrows(IllegalArgumentException.class, () -> Address.parse(":443", ANY)).getMessage());
    }

    @Test
    void toStringIsHostColonPort() {
        assertEquals("0.0.0.0:443", Address.parse("443", ANY).toString());
        assertEquals(":::443", Address.parse(":::443", ANY).toString());
    }

    @Test
    void servicesDatabaseIsParsedAsLibcDoes(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("services");
        Files.writeString(f, "# comment\nhttps\t\t443/tcp\t\t\t\t# http protocol over TLS/SSL\nhttps 443/udp\n"
                + "imaps\t\t993/tcp\t\timap4s  # alias\nweird 70000/tcp\ndomain 53/udp\n");
        Map<String, Integer> t = TcpServices.read(f);
        assertEquals(443, t.get("https"));
        assertEquals(993, t.get("imaps"));
        assertEquals(993, t.get("imap4s"));
        assertNull(t.get("weird"));
        assertNull(t.get("domain"), "udp only");
        assertTrue(TcpServices.read(tmp.resolve("missing")).isEmpty());
    }

    @Test
    void serviceNamesResolveThroughEtcServices() {
        Integer https = TcpServices.read(Path.of("/etc/services")).get("https");
        org.junit.jupiter.api.Assertions.assertTrue(https != null, "no /etc/services here");
        assertEquals(new Address("example.com", https, null), Address.parse("example.com:https", ANY));
    }
}
