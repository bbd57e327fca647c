package org.jstunnel.config;

/**
 * protocol.c's PROTOCOL_CHECK phase: whether the protocol exists in this mode, whether it is itself
 * an endpoint (socks server, capwinctrl client), and whether it needs the remote side before TLS.
 */
record ProtocolCheck(String error, boolean endpoint, boolean connectBeforeTls) {
    static ProtocolCheck of(String protocol, boolean client) {
        if (protocol == null) return new ProtocolCheck(null, false, client);
        return switch (protocol) {
            case "socks" -> new ProtocolCheck(null, !client, client);
            case "proxy" -> client ? fail("The 'proxy' protocol is not supported in the client mode")
                    : new ProtocolCheck(null, false, false);
            case "smtp", "pop3", "imap" -> new ProtocolCheck(null, false, true);
            case "nntp" -> client ? new ProtocolCheck(null, false, true)
                    : fail("The 'nntp' protocol is not supported in the server mode");
            case "ldap" -> client ? new ProtocolCheck(null, false, true)
                    : fail("The 'ldap' protocol is not supported in the server mode");
            case "capwinctrl" -> client ? new ProtocolCheck(null, true, true)
                    : fail("The 'capwinctrl' protocol is not supported in the server mode");
            case "cifs", "pgsql", "connect", "capwin" -> new ProtocolCheck(null, false, client);
            default -> fail("Protocol not supported");
        };
    }

    private static ProtocolCheck fail(String error) {
        return new ProtocolCheck(error, false, false);
    }
}
