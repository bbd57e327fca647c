package org.jstunnel.it.attach.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.Timeouts;

/**
 * A JSSE TLS 1.3 client for any loopback address (127.0.0.1 or ::1), trusting one CA file, with an
 * optional client certificate. The tunnel's certificate is verified against the CA but not against
 * the host name (the test PKI names 127.0.0.1 only). JSSE half-closes TLS 1.3 properly
 * ({@code shutdownOutput()} sends close_notify and keeps reading).
 */
public final class TlsPeer {
    private TlsPeer() {
    }

    public static SSLSocket connect(String host, int port, Path caFile, TestPki.Entity identity) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(identity == null ? null : keyManagers(identity).getKeyManagers(), trust(caFile).getTrustManagers(), null);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
            SSLParameters params = s.getSSLParameters();
            params.setProtocols(new String[] {"TLSv1.3"});
            s.setSSLParameters(params);
            s.connect(new InetSocketAddress(host, port), (int) Timeouts.LOG_LINE.toMillis());
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            s.startHandshake();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("TLS connect to " + host + " port " + port + " failed", e);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** A TLS 1.3 context trusting {@code caFile}, with {@code identity} as its certificate (or none). */
    public static SSLContext context(Path caFile, TestPki.Entity identity) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(identity == null ? null : keyManagers(identity).getKeyManagers(), trust(caFile).getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static TrustManagerFactory trust(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", certificate(caFile));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    private static KeyManagerFactory keyManagers(TestPki.Entity e) throws IOException, GeneralSecurityException {
        char[] pw = "test".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("me", privateKey(e.keyFile()), pw, new Certificate[] {certificate(e.certFile())});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        return kmf;
    }

    private static X509Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The test PKI's keys are unencrypted PKCS#8 PEM. */
    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < 0) throw new AssertionError("not a PKCS#8 PEM key: " + pem);
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        for (String alg : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (java.security.spec.InvalidKeySpecException tryNext) {
                // not this algorithm
            }
        }
        throw new AssertionError("unsupported key: " + pem);
    }
}
