package org.jstunnel.hsm.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.Timeouts;

/**
 * A JSSE client for load, trusting one CA and checking the host name localhost. The trust managers
 * are built once; each connection gets a fresh SSLContext, so no session is ever resumed and every
 * handshake makes the server sign with its key.
 */
public final class JsseClient {
    private final javax.net.ssl.TrustManager[] trust;

    private JsseClient(javax.net.ssl.TrustManager[] trust) {
        this.trust = trust;
    }

    public static JsseClient trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return new JsseClient(tmf.getTrustManagers());
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("cannot build a JSSE client trusting " + caFile, e);
        }
    }

    /** A handshaken connection to 127.0.0.1:{@code port} with {@code protocol} (TLSv1.2, TLSv1.3). */
    public SSLSocket connect(int port, String protocol) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {protocol});
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setServerNames(List.of(new SNIHostName("localhost")));
            s.setSSLParameters(p);
            s.connect(new InetSocketAddress(Ports.LOOPBACK, port), (int) Timeouts.LOG_LINE.toMillis());
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
