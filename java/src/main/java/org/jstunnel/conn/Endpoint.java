package org.jstunnel.conn;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import org.jstunnel.ssl.CertificateVerifier;
import org.jstunnel.ssl.OpenSslException;
import org.jstunnel.ssl.SslConnection;

/**
 * What a connection needs from its service, fixed when the connection is accepted: a reload that
 * changes the service does not change connections already established.
 */
public interface Endpoint {
    String name();
    boolean client();
    Timeouts timeouts();
    int logLevel();
    /** SNI to send in client mode; null or empty: none. */
    String sni();
    SslConnection newTls(CertificateVerifier verifier) throws OpenSslException;
    org.jstunnel.ssl.TlsSettings tlsSettings();
    /** The {@code requireCert} option, for the "Peer certificate required" line. */
    boolean requireCert();
    /** {@code logId}: sequential, unique, thread or process. */
    String logIdType();
    /** {@code reset}: end a connection that failed with a TCP RST. */
    boolean reset();
    /** The {@code protocol} to negotiate, or null. */
    org.jstunnel.protocol.Protocol protocol();
    /** The {@code protocol*} options. */
    org.jstunnel.protocol.ProtocolSettings protocolSettings();
    /** Connects to addresses a protocol negotiation chose (SOCKS, CONNECT), with the service's failover logging. */
    SocketChannel connectTo(java.util.List<java.net.SocketAddress> targets, long rr) throws IOException;
    /** {@code acceptProxy}: the inbound PROXY header to read first; null: none (issue 14). */
    default InboundProxy inboundProxy() { return null; }
    /** The next round-robin sequence number (stunnel's c->rr), taken for every connection. */
    long nextRoundRobin();
    /** The {@code exec} program when it is the remote end ({@code exec} without {@code connect}); else null. */
    ExecSpec execRemote();
    /** Connects to the service's {@code connect} targets (failover), logging as stunnel. */
    SocketChannel connectRemote(long rr, org.jstunnel.net.Persistence persistence) throws IOException;
    /** As {@link #connectRemote(long, org.jstunnel.net.Persistence)} for the connection whose local end is {@code client} ({@code transparent}). */
    default SocketChannel connectRemote(long rr, org.jstunnel.net.Persistence persistence, PlainEnd client) throws IOException {
        return connectRemote(rr, persistence);
    }
    /** Whether {@code redirect} targets are configured. */
    boolean redirects();
    /** Connects to the {@code redirect} targets, as {@link #connectRemote}. */
    SocketChannel connectRedirect(long rr, org.jstunnel.net.Persistence persistence) throws IOException;
    /** Where the connection reports for metrics (issue 13); none by default. */
    default ConnectionObserver observer() { return ConnectionObserver.NONE; }
    /** As {@link #connectRedirect(long, org.jstunnel.net.Persistence)} for the connection whose local end is {@code client}. */
    default SocketChannel connectRedirect(long rr, org.jstunnel.net.Persistence persistence, PlainEnd client) throws IOException {
        return connectRedirect(rr, persistence);
    }
    /** {@code socket = a|l|r:...}: the local and remote socket options (stunnel's defaults unless set). */
    default org.jstunnel.net.SocketOptions socketOptions() { return org.jstunnel.net.SocketOptions.defaults(); }
    /**
     * {@code libwrap} and {@code ident} (client.c local_start): checks the client before the
     * "accepted connection" line; a refusal is logged and thrown as {@link org.jstunnel.access.AccessDeniedException}.
     */
    default void checkAccess(java.net.SocketAddress peer, java.net.SocketAddress local) throws IOException {}
    /** {@code sessiond} (server): sees a connection's first bytes before the handshake reads them; null: none. */
    default java.util.function.Consumer<java.nio.ByteBuffer> sessionPrefetch() { return null; }
    /** {@code pty = yes}: the exec program runs on a pseudo-terminal. */
    default boolean pty() { return false; }
    /** {@code stack}: the stack size of the platform threads a connection starts (pty relays). */
    default long stackSize() { return 65536; }
}
