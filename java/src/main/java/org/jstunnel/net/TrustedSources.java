package org.jstunnel.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** {@code acceptProxyFrom}: the addresses (with prefix lengths) a PROXY header is believed from. */
public final class TrustedSources {
    private record Net(byte[] address, int bits) { }

    private final List<Net> nets;

    private TrustedSources(List<Net> nets) { this.nets = List.copyOf(nets); }

    /** @throws IllegalArgumentException naming the entry that is not an address literal or prefix */
    public static TrustedSources parse(List<String> entries) {
        List<Net> nets = new ArrayList<>();
        for (String e : entries) {
            int slash = e.indexOf('/');
            String host = slash < 0 ? e : e.substring(0, slash);
            if (!host.matches("[0-9a-fA-F:.]+") || host.isEmpty())
                throw new IllegalArgumentException("acceptProxyFrom: not an address: " + e);
            byte[] a;
            try {
                a = InetAddress.getByName(host).getAddress(); // a literal: no lookup
            } catch (UnknownHostException ex) {
                throw new IllegalArgumentException("acceptProxyFrom: not an address: " + e);
            }
            int bits;
            try {
                bits = slash < 0 ? a.length * 8 : Integer.parseInt(e.substring(slash + 1));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("acceptProxyFrom: bad prefix length: " + e);
            }
            if (bits < 0 || bits > a.length * 8) throw new IllegalArgumentException("acceptProxyFrom: bad prefix length: " + e);
            nets.add(new Net(a, bits));
        }
        return new TrustedSources(nets);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        for (Net n : nets) {
            if (n.address.length != a.length) continue;
            int full = n.bits / 8, rest = n.bits % 8;
            boolean match = true;
            for (int i = 0; i < full && match; i++) match = a[i] == n.address[i];
            if (match && rest > 0) {
                int mask = (0xff << (8 - rest)) & 0xff;
                match = (a[full] & mask) == (n.address[full] & mask);
            }
            if (match) return true;
        }
        return false;
    }
}
