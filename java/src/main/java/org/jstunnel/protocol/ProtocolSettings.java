package org.jstunnel.protocol;

import java.util.List;

/**
 * The {@code protocol*} options of a service: {@code protocolHost}, {@code protocolUsername},
 * {@code protocolPassword}, {@code protocolAuthentication}, {@code protocolDomain} and the
 * {@code protocolHeader} lines in their order. The password never appears in {@link #toString}.
 */
public record ProtocolSettings(String host, String username, String password, String authentication,
                               String domain, List<String> headers, int connectTimeoutSeconds) {
    public ProtocolSettings {
        headers = List.copyOf(headers);
        if (authentication == null) authentication = "basic";
    }

    /** Both username and password set: stunnel only authenticates then. */
    public boolean credentials() { return username != null && password != null; }

    @Override
    public String toString() {
        return "ProtocolSettings[host=" + host + ", username=" + username + ", authentication=" + authentication
            + ", domain=" + domain + ", headers=" + headers.size() + "]";
    }
}
