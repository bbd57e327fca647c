package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.Curl;
import org.jstunnel.it.support.Digest;
import org.jstunnel.it.support.HttpBackend;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** curl (libcurl + OpenSSL, full verification) → the program in server mode → a plain HTTP backend. */
class CurlTest {
    private static final String SERVICE = "https";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path pkiDir;
    static TestPki pki;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final Resources res = new Resources();

    HttpBackend http;
    TunnelProcess tunnel;

    @BeforeAll
    static void pki() {
        pki = TestPki.create(pkiDir, TestPki.KeyType.RSA_2048);
    }

    @BeforeEach
    void start() {
        http = res.add(new HttpBackend());
        tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(http.port()).identity(pki.server()))));
    }

    private ManagedProcess curl(List<String> args) {
        ManagedProcess p = res.add(Curl.run(dir, "curl", tunnel.port(SERVICE), pki.caFile(), args));
        assertEquals(0, p.exitCode(java.time.Duration.ZERO), "curl exit code");
        return p;
    }

    @Test
    void getReturnsTheBackendsBody() throws IOException {
        int size = 300_000;
        Path body = dir.resolve("body.bin");
        ManagedProcess p = curl(List.of("-o", body.toString(), Curl.url(tunnel.port(SERVICE), "/payload/" + size)));

        assertEquals("200 0 1\n", p.stdout(), "HTTP status, certificate verification result, connections");
        assertEquals(Payload.of(size).digest(), digestOf(body));
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, 0);
        log.requireInOrder(StunnelLog.accepted(SERVICE), StunnelLog.TLS_ACCEPTED, StunnelLog.sConnectConnected(http.port()));
        ConnectionLog.End end = log.end();
        assertEquals("closed", end.status(), end.line().raw());
        assertEquals(true, end.sentToTls() > size, "response headers and body went to TLS: " + end.line().raw());
    }

    @Test
    void postUploadArrivesIntact() throws IOException {
        Payload upload = Payload.of(3 << 20);
        Path file = dir.resolve("upload.bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            upload.writeTo(out);
        }
        Path answer = dir.resolve("answer.txt");
        ManagedProcess p = curl(List.of("--data-binary", "@" + file, "-H", "Content-Type: application/octet-stream",
                "-o", answer.toString(), Curl.url(tunnel.port(SERVICE), "/sha256")));

        assertEquals("200 0 1\n", p.stdout());
        assertEquals(upload.digest().toString(), Files.readString(answer), "what the backend received");
    }

    @Test
    void keepAliveRequestsShareOneTunnelConnection() throws IOException {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.bin");
        int port = tunnel.port(SERVICE);
        ManagedProcess p = curl(List.of("-o", a.toString(), Curl.url(port, "/payload/1000"),
                "-o", b.toString(), Curl.url(port, "/payload/2000")));

        assertEquals("200 0 1\n200 0 0\n", p.stdout(), "the second request reuses the connection");
        assertEquals(Payload.of(1000).digest(), digestOf(a));
        assertEquals(Payload.of(2000).digest(), digestOf(b));
        ConnectionLog.awaitEnded(tunnel, SERVICE, 0);
        assertEquals(1, Logs.matching(tunnel.log(), StunnelLog.accepted(SERVICE)).size(), "one tunnel connection");
        assertEquals(2, http.requests());
    }

    private static Digest digestOf(Path file) throws IOException {
        Digest.Builder d = new Digest.Builder();
        try (var in = Files.newInputStream(file)) {
            in.transferTo(d.asOutputStream());
        }
        return d.build();
    }
}
