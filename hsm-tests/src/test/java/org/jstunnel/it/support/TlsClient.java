package org.jstunnel.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A JSSE TLS client that trusts one CA file and verifies the host name "localhost". JSSE supports a
 * real TLS 1.3 half-close ({@code shutdownOutput()} sends close_notify and keeps reading), which the
 * openssl 3.0 s_client cannot do.
 */
public final class TlsClient {
    private TlsClient() {
    }

    public static SSLSocket connect(int port, Path caFile, String protocol) {
        return connect(port, caFile, protocol, 0);
    }

    /** {@code receiveBufferSize > 0} fixes the socket's receive buffer (no autotuning): a deliberately slow reader. */
    public static SSLSocket connect(int port, Path caFile, String protocol, int receiveBufferSize) {
        return connect(null, port, caFile, protocol, receiveBufferSize);
    }

    /**
     * TLS over an already connected plain socket that closing the TLS socket leaves open: the test can
     * then end the TCP connection its own way (e.g. an RST with SO_LINGER 0, no close_notify).
     */
    public static SSLSocket over(java.net.Socket plain, Path caFile, String protocol) {
        return connect(plain, plain.getPort(), caFile, protocol, 0);
    }

    private static SSLSocket connect(java.net.Socket plain, int port, Path caFile, String protocol, int receiveBufferSize) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(caFile)) {
                X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
                trust.setCertificateEntry("ca", ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            SSLSocket s = plain == null ? (SSLSocket) ctx.getSocketFactory().createSocket()
                    : (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, false);
            SSLParameters params = s.getSSLParameters();
            params.setProtocols(new String[] {protocol});
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setServerNames(java.util.List.of(new SNIHostName("localhost")));
            s.setSSLParameters(params);
            if (receiveBufferSize > 0) {
                s.setReceiveBufferSize(receiveBufferSize);
            }
            if (plain == null) s.connect(new InetSocketAddress(Ports.LOOPBACK, port), (int) Timeouts.LOG_LINE.toMillis());
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            s.startHandshake();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("TLS connect to " + Ports.loopback(port) + " failed", e);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
