package org.jstunnel.protocol;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jstunnel.net.SocketAddresses;

/**
 * {@code protocol = proxy}, server mode (protocol.c proxy_server_late): the PROXY protocol v1 header
 * to the remote end, naming the client (source) and the address it connected to (destination).
 */
final class ProxyServer implements Protocol {
    @Override
    public void late(Negotiation n) throws IOException {
        SocketAddress src = n.localPeer(), dst = n.localAddress();
        if (src == null || dst == null) throw NegotiationFailed.reset("getpeername: Socket operation on non-socket (88)");
        if (!(src instanceof InetSocketAddress s) || !(dst instanceof InetSocketAddress d)) {
            // a Unix socket: stunnel's getnameinfo(NI_NUMERICSERV) has no room for a path and fails
            throw NegotiationFailed.reset("getnameinfo: Unknown error");
        }
        String proto = d.getAddress() instanceof Inet4Address ? "TCP4" : d.getAddress() instanceof Inet6Address ? "TCP6" : "UNKNOWN";
        n.remote().putline("PROXY " + proto + " " + host(s) + " " + host(d) + " " + s.getPort() + " " + d.getPort());
    }

    /** getnameinfo(NI_NUMERICHOST): {@code 127.0.0.1}, {@code ::1}. */
    static String host(InetSocketAddress a) {
        String s = SocketAddresses.format(a);
        return s.substring(0, s.lastIndexOf(':'));
    }
}
