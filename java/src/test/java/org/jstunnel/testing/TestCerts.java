package org.jstunnel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A small PKI made with the openssl CLI: a CA, a server and a client leaf, and an unrelated CA. */
public final class TestCerts {
    public final Path dir;
    public final Path caCert, serverCert, serverKey, clientCert, clientKey, otherCaCert, otherCert, otherKey;

    private TestCerts(Path dir) {
        this.dir = dir;
        caCert = dir.resolve("ca.pem");
        serverCert = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
        clientCert = dir.resolve("client.pem");
        clientKey = dir.resolve("client.key");
        otherCaCert = dir.resolve("other-ca.pem");
        otherCert = dir.resolve("other.pem");
        otherKey = dir.resolve("other.key");
    }

    public static TestCerts create(Path dir) throws IOException, InterruptedException {
        TestCerts c = new TestCerts(dir);
        c.ca("ca", "Test Root CA");
        c.leaf("server", "ca", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        c.leaf("client", "ca", "client", "subjectAltName=email:client@example.com");
        c.ca("other-ca", "Other CA");
        c.leaf("other", "other-ca", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        return c;
    }

    private void ca(String name, String cn) throws IOException, InterruptedException {
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".pem").toString(),
            "-days", "2", "-subj", "/CN=" + cn,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void leaf(String name, String ca, String cn, String san) throws IOException, InterruptedException {
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, san + "\n");
        run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".csr").toString(),
            "-subj", "/CN=" + cn);
        run("openssl", "x509", "-req", "-in", dir.resolve(name + ".csr").toString(),
            "-CA", dir.resolve(ca + ".pem").toString(), "-CAkey", dir.resolve(ca + ".key").toString(),
            "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", dir.resolve(name + ".pem").toString());
    }

    private void run(String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(cmd));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("failed: " + String.join(" ", c) + "\n" + Files.readString(dir.resolve("openssl.log")));
        }
    }
}
