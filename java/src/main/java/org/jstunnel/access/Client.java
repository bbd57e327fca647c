package org.jstunnel.access;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The client as libwrap sees it: its address and, looked up only when a pattern needs it, its
 * verified host name (or "unknown"/"paranoid").
 */
final class Client {
    static final String UNKNOWN = "unknown", PARANOID = "paranoid";

    private final InetAddress address;
    private String name; // looked up once, lazily

    Client(InetAddress address) { this.address = address; }

    InetAddress address() { return address; }

    /** The address as libwrap prints it (no brackets, no scope). */
    String addressText() {
        String s = address.getHostAddress();
        int pct = s.indexOf('%');
        return pct < 0 ? s : s.substring(0, pct);
    }

    boolean ipv6() { return address instanceof Inet6Address; }

    String name() {
        if (name == null) name = NameLookups.hostName(address);
        return name;
    }

    static boolean known(String s) { return !s.equals(UNKNOWN) && !s.equals(PARANOID); }
}
