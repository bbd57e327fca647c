package org.jstunnel.config;

/**
 * One configured endpoint: {@code [HOST:]PORT} or a Unix socket path.
 *
 * <p>As stunnel (resolver.c name2addrlist): a value starting with '/' is a Unix socket; otherwise it
 * is split at the <em>last</em> colon, so {@code ::1:8443} is host {@code ::1} port 8443 and
 * {@code :::443} is all IPv6 addresses. The port may be a number or an /etc/services name.
 * Unlike stunnel, {@code [::1]:443} is also accepted (brackets are dropped). Host names are not
 * resolved here: that is the network layer's job (stunnel resolves late, too).
 *
 * @param host the host (never with brackets); null for a Unix socket
 * @param port 0..65535 (0 lets the kernel pick a port for accept); 0 for a Unix socket
 * @param unixPath the socket path, or null
 */
public record Address(String host, int port, String unixPath) {
    /** accept's default host: all IPv4 addresses. */
    public static final String ANY_IPV4 = "0.0.0.0";
    /** connect's default host. */
    public static final String LOCALHOST = "localhost";
    /** sizeof(sockaddr_un.sun_path) - 1 on Linux. */
    static final int MAX_UNIX_PATH = 107;

    public Address {
        if (unixPath == null && host == null) throw new IllegalArgumentException("an address needs a host or a path");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /**
     * @param value the option value, e.g. {@code 443}, {@code host:https}, {@code :::443}, {@code /run/x.sock}
     * @param defaultHost used when the value has no host part
     * @throws IllegalArgumentException with a stunnel-style reason when the value cannot be an address
     */
    public static Address parse(String value, String defaultHost) {
        if (value.startsWith("/")) {
            if (value.length() > MAX_UNIX_PATH) throw new IllegalArgumentException("Unix socket path is too long");
            return new Address(null, 0, value);
        }
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? defaultHost : value.substring(0, colon);
        String portText = colon < 0 ? value : value.substring(colon + 1);
        if (host == null) throw new IllegalArgumentException("No host in \"" + value + "\" and no default host");
        host = unbracket(host);
        if (host.isEmpty()) throw new IllegalArgumentException("Empty host name in \"" + value + "\"");
        return new Address(host, parsePort(portText), null);
    }

    /** A decimal 0..65535 or an /etc/services TCP name (getaddrinfo's service argument). */
    static int parsePort(String text) {
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (text.length() <= 5) {
                int p = Integer.parseInt(text);
                if (p <= 65535) return p;
            }
        } else if (!text.isEmpty()) {
            int p = TcpServices.lookup(text);
            if (p >= 0) return p;
        }
        throw new IllegalArgumentException("Unknown TCP service \"" + text + "\"");
    }

    /** {@code [::1]} to {@code ::1}; anything else unchanged. */
    static String unbracket(String host) {
        boolean bracketed = host.length() >= 2 && host.startsWith("[") && host.endsWith("]");
        return bracketed ? host.substring(1, host.length() - 1) : host;
    }

    public boolean isUnix() {
        return unixPath != null;
    }

    /** As the user would write it (and as stunnel prints addresses): {@code host:port}, IPv6 without brackets. */
    @Override
    public String toString() {
        return isUnix() ? unixPath : host + ":" + port;
    }
}
