package org.jstunnel.protocol;

/** {@code protocol = NAME} in client or server mode: the handler, or null (none configured). */
public final class Protocols {
    private Protocols() {}

    /**
     * The protocol for a service; the mode checks (config.ProtocolCheck) already refused a protocol
     * the mode lacks, so an unknown combination here is a programming error.
     */
    public static Protocol of(String name, boolean client) {
        if (name == null) return null;
        return switch (name) {
            case "proxy" -> server(name, client, new ProxyServer());
            case "smtp" -> client ? new SmtpClient() : new SmtpServer();
            case "pop3" -> client ? new Pop3Client() : new Pop3Server();
            case "imap" -> client ? new ImapClient() : new ImapServer();
            case "nntp" -> clientOnly(name, client, new NntpClient());
            case "ldap" -> clientOnly(name, client, new LdapClient());
            case "pgsql" -> client ? new PgsqlClient() : new PgsqlServer();
            case "cifs" -> client ? new CifsClient() : new CifsServer();
            case "connect" -> client ? new ConnectClient() : new ConnectServer();
            case "socks" -> client ? new SocksClient() : new SocksServer();
            case "capwin" -> client ? new CapwinClient() : new CapwinServer();
            case "capwinctrl" -> clientOnly(name, client, new CapwinCtrlClient());
            default -> throw new IllegalArgumentException("protocol not implemented: " + name);
        };
    }

    private static Protocol server(String name, boolean client, Protocol p) {
        if (client) throw new IllegalArgumentException(name + " has no client mode");
        return p;
    }

    private static Protocol clientOnly(String name, boolean client, Protocol p) {
        if (!client) throw new IllegalArgumentException(name + " has no server mode");
        return p;
    }
}
