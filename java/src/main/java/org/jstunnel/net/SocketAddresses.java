package org.jstunnel.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jstunnel.config.Address;

/** Resolution of configured addresses and stunnel's way of printing them. */
public final class SocketAddresses {
    private SocketAddresses() {}

    /** Every address a configured one resolves to, in resolver order (stunnel tries them all). */
    public static List<SocketAddress> resolve(Address a) throws UnknownHostException {
        if (a.isUnix()) return List.of(UnixDomainSocketAddress.of(a.unixPath()));
        List<SocketAddress> out = new ArrayList<>();
        for (InetAddress ia : InetAddress.getAllByName(a.host())) out.add(new InetSocketAddress(ia, a.port()));
        return out;
    }

    /** The protocol family of an address: INET for IPv4, INET6 for IPv6, UNIX for a path. */
    public static java.net.ProtocolFamily family(SocketAddress sa) {
        if (sa instanceof UnixDomainSocketAddress) return java.net.StandardProtocolFamily.UNIX;
        if (sa instanceof InetSocketAddress i && i.getAddress() instanceof java.net.Inet6Address)
            return java.net.StandardProtocolFamily.INET6;
        return java.net.StandardProtocolFamily.INET;
    }

    /** stunnel's s_ntop: {@code 127.0.0.1:443}, {@code :::443} for IPv6 (no brackets), a path for Unix. */
    public static String format(SocketAddress sa) {
        if (sa instanceof InetSocketAddress isa) {
            InetAddress ia = isa.getAddress();
            String host = ia == null ? isa.getHostString() : ia.getHostAddress();
            int pct = host.indexOf('%');
            if (pct >= 0) host = host.substring(0, pct);
            if (ia instanceof java.net.Inet6Address) host = compressIpv6(host);
            return host + ":" + isa.getPort();
        }
        if (sa instanceof UnixDomainSocketAddress u) {
            String path = u.getPath().toString();
            return path.isEmpty() ? "unnamed socket" : path; // a connecting Unix socket has no name
        }
        return String.valueOf(sa);
    }

    /** Java prints 0:0:0:0:0:0:0:1; getnameinfo (and so stunnel) prints ::1. */
    static String compressIpv6(String full) {
        String[] parts = full.split(":", -1);
        if (parts.length != 8) return full;
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < 8 && parts[j].equals("0")) j++;
                if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) return full;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bestStart; i++) b.append(i > 0 ? ":" : "").append(parts[i]);
        b.append("::");
        for (int i = bestStart + bestLen; i < 8; i++) b.append(i > bestStart + bestLen ? ":" : "").append(parts[i]);
        return b.toString();
    }
}
