package org.jstunnel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sd_listen_fds' rules; the descriptors themselves are tested end to end (SystemdTest). */
class SocketActivationTest {
    @Test
    void socketsMeantForAnotherProcessOrMalformedAreIgnored() {
        assertEquals(List.of(), SocketActivation.read(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "1"), 2));
        assertEquals(List.of(), SocketActivation.read(Map.of("LISTEN_FDS", "1"), 2));
        assertEquals(List.of(), SocketActivation.read(Map.of("LISTEN_FDS", "x", "LISTEN_PID", "2"), 2));
        assertEquals(List.of(), SocketActivation.read(Map.of(), 2));
    }

    @Test
    void aServiceTakesTheSocketOfItsAcceptAddress() {
        var v4 = new InetSocketAddress("127.0.0.1", 8443);
        assertTrue(SocketActivation.matches(v4, new InetSocketAddress("127.0.0.1", 8443)));
        assertFalse(SocketActivation.matches(v4, new InetSocketAddress("127.0.0.1", 8444)));
        assertFalse(SocketActivation.matches(v4, new InetSocketAddress("127.0.0.2", 8443)));
        // accept = 443 (0.0.0.0) takes systemd's ListenStream=443, which is [::]:443
        assertTrue(SocketActivation.matches(new InetSocketAddress("::", 443), new InetSocketAddress("0.0.0.0", 443)));
        assertTrue(SocketActivation.matches(UnixDomainSocketAddress.of("/run/a.sock"), UnixDomainSocketAddress.of("/run/a.sock")));
        assertFalse(SocketActivation.matches(UnixDomainSocketAddress.of("/run/a.sock"), v4));
    }
}
