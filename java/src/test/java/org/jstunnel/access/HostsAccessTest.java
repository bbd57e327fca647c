package org.jstunnel.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hosts_access(5) rules that the end-to-end test (LibwrapTest, against stunnel4's libwrap) does not
 * reach: IPv6 brackets and prefixes, /file patterns, daemon@host, nested EXCEPT, missing files,
 * malformed lines. No name lookups: only address patterns (and ALL) are used here.
 */
class HostsAccessTest {
    @TempDir
    Path dir;

    private boolean permits(String allow, String deny, String daemon, String client, String server) throws Exception {
        Path a = dir.resolve("allow"), d = dir.resolve("deny");
        Files.writeString(a, allow);
        Files.writeString(d, deny);
        return new HostsAccess(a, d).permits(daemon, InetAddress.getByName(client),
            server == null ? null : InetAddress.getByName(server));
    }

    @Test
    void noFilesMeanAccessGranted() {
        HostsAccess h = new HostsAccess(dir.resolve("none1"), dir.resolve("none2"));
        assertTrue(h.permits("svc", InetAddress.getLoopbackAddress(), null));
    }

    @Test
    void ipv6BracketsAndPrefixes() throws Exception {
        String allow = "svc: [::1], [2001:db8::]/32\n";
        String deny = "ALL: ALL\n";
        assertTrue(permits(allow, deny, "svc", "::1", null));
        assertTrue(permits(allow, deny, "svc", "2001:db8:1::5", null));
        assertFalse(permits(allow, deny, "svc", "2001:db9::5", null));
        assertFalse(permits(allow, deny, "svc", "10.0.0.1", null));
    }

    @Test
    void netmaskAndPrefixLength() throws Exception {
        String deny = "ALL: ALL\n";
        assertTrue(permits("svc: 192.168.0.0/255.255.0.0\n", deny, "svc", "192.168.7.7", null));
        assertFalse(permits("svc: 192.168.0.0/255.255.0.0\n", deny, "svc", "192.169.7.7", null));
        assertTrue(permits("svc: 10.1.0.0/16\n", deny, "svc", "10.1.200.3", null));
        assertFalse(permits("svc: 10.1.0.0/16\n", deny, "svc", "10.2.0.3", null));
    }

    @Test
    void nestedExceptAndDaemonLists() throws Exception {
        // ALL EXCEPT (10. EXCEPT 10.0.0.1): everything but 10.x, though 10.0.0.1 is back in
        String allow = "a b, c: ALL EXCEPT 10. EXCEPT 10.0.0.1\n";
        String deny = "ALL: ALL\n";
        assertTrue(permits(allow, deny, "b", "192.0.2.1", null));
        assertFalse(permits(allow, deny, "c", "10.0.0.2", null));
        assertTrue(permits(allow, deny, "c", "10.0.0.1", null));
        assertFalse(permits(allow, deny, "d", "192.0.2.1", null), "d is in no daemon list");
        assertTrue(permits("ALL EXCEPT x: ALL\n", deny, "y", "192.0.2.1", null));
        assertFalse(permits("ALL EXCEPT x: ALL\n", deny, "x", "192.0.2.1", null));
    }

    @Test
    void daemonAtServerAddress() throws Exception {
        String allow = "svc@192.0.2.10: ALL\n";
        String deny = "ALL: ALL\n";
        assertTrue(permits(allow, deny, "svc", "198.51.100.1", "192.0.2.10"));
        assertFalse(permits(allow, deny, "svc", "198.51.100.1", "192.0.2.11"));
    }

    @Test
    void patternFilesWildcardsAndMalformedLines() throws Exception {
        Path list = dir.resolve("clients");
        Files.writeString(list, "# trusted\n203.0.113.7 203.0.113.8\n");
        String allow = "this line has no separator\nsvc: " + list + "\nwild: 198.51.100.*\n";
        String deny = "ALL: ALL\n";
        assertTrue(permits(allow, deny, "svc", "203.0.113.8", null));
        assertFalse(permits(allow, deny, "svc", "203.0.113.9", null));
        assertTrue(permits(allow, deny, "wild", "198.51.100.77", null));
        assertFalse(permits(allow, deny, "wild", "198.51.101.77", null));
    }

    @Test
    void optionsDecideAndContinuationLinesJoin() throws Exception {
        assertFalse(permits("svc: 192.0.2.1 : spawn echo hi : deny\n", "", "svc", "192.0.2.1", null));
        assertTrue(permits("", "svc: 192.0.2.1 : ALLOW\n", "svc", "192.0.2.1", null));
        assertTrue(permits("svc: 192.0.2.5,\\\n  192.0.2.1\n", "ALL: ALL\n", "svc", "192.0.2.1", null));
        assertTrue(permits("", "@netgroup: ALL\nsvc: @group\n", "svc", "192.0.2.1", null), "no NIS: no match");
    }
}
