package org.jstunnel.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The server's key material, the same for every engine: an RSA-2048 self-signed certificate from
 * {@code -Dbench.certdir} (rsa.crt, rsa.key, rsa.pem as bench/bench.py makes them) or made here with the
 * openssl command line. RSA because wildfly-openssl 2.2.5 fails TLS 1.3 with an EC key ("no suitable
 * signature algorithm"); the certificate plays no part in the record path measured.
 */
final class Keys {
    private Keys() {}

    static Path dir() throws IOException, InterruptedException {
        String d = System.getProperty("bench.certdir");
        if (d != null && Files.isReadable(Path.of(d, "rsa.pem"))) return Path.of(d);
        Path tmp = Files.createTempDirectory("jstunnel-jmh");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048",
            "-nodes", "-keyout", tmp.resolve("rsa.key").toString(), "-out", tmp.resolve("rsa.crt").toString(),
            "-subj", "/CN=localhost", "-days", "30").inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("openssl req failed");
        Files.writeString(tmp.resolve("rsa.pem"), Files.readString(tmp.resolve("rsa.crt")) + Files.readString(tmp.resolve("rsa.key")));
        return tmp;
    }

    static KeyManager[] keyManagers() throws Exception {
        Path dir = dir();
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("rsa.crt"))));
        String pem = Files.readString(dir.resolve("rsa.key"), StandardCharsets.US_ASCII);
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "bench".toCharArray();
        ks.setKeyEntry("server", key, pw, new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        return kmf.getKeyManagers();
    }

    /** The client trusts anything: the benchmark measures records, not verification. */
    static TrustManager[] trustAll() {
        return new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }};
    }
}
