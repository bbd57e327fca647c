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
    /** Connects to the service's {@code connect} targets (failover), logging as stunnel. */
    SocketChannel connectRemote() throws IOException;
}
