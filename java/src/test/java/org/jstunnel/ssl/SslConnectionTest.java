package org.jstunnel.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jstunnel.log.LogContext;
import org.jstunnel.testing.TestCerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The JNI record path between two of our own endpoints over a real loopback TCP connection. */
@Timeout(60)
class SslConnectionTest {
    @TempDir static Path dir;
    static TestCerts certs;

    // the common pool has one thread on two cores: these tasks block, so each gets its own thread
    static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    SocketChannel a, b;

    @BeforeAll
    static void pki() throws Exception {
        NativeLibrary.load();
        certs = TestCerts.create(dir);
    }

    @AfterEach
    void close() throws IOException {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    private void socketPair() throws IOException {
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            a = SocketChannel.open(ss.getLocalAddress());
            b = ss.accept();
        }
    }

    static TlsSettings server(boolean requireCert, int maxVersion) {
        return new TlsSettings("test", false, certs.serverCert.toString(), certs.serverKey.toString(),
            certs.caCert.toString(), null, requireCert, false, requireCert, requireCert,
            List.of(), List.of(), List.of(), 0, maxVersion, null, null, null, -1, 0, 0, null);
    }

    static TlsSettings client(Path ca, String cert, String key, List<String> checkHost) {
        return new TlsSettings("test", true, cert, key, ca.toString(), null, true, false, true, true,
            checkHost, List.of(), List.of(), 0, 0, null, null, null, -1, 0, 0, "localhost");
    }

    private static CertificateVerifier verifier(TlsSettings s) {
        return new CertificateVerifier(s, new LogContext("t", 7));
    }

    @Test
    void bulkBothWaysAtOnceThenHalfClose() throws Exception {
        socketPair();
        TlsSettings ss = server(false, 0), cs = client(certs.caCert, null, null, List.of("localhost"));
        try (SslContext sctx = SslContext.create(ss); SslContext cctx = SslContext.create(cs);
             SslConnection srv = sctx.newConnection(verifier(ss)); SslConnection cli = cctx.newConnection(verifier(cs))) {
            var hs = CompletableFuture.runAsync(() -> handshake(srv, b), POOL);
            cli.handshake(a);
            hs.get(20, TimeUnit.SECONDS);
            assertEquals("TLSv1.3", cli.protocol());

            byte[] up = random(3_000_001, 1), down = random(2_500_000, 2);
            // all four pumps at once: each side writes and reads concurrently on one SSL
            var srvRead = CompletableFuture.supplyAsync(() -> readAll(srv, b), POOL);
            var cliRead = CompletableFuture.supplyAsync(() -> readAll(cli, a), POOL);
            var srvWrite = CompletableFuture.runAsync(() -> writeAllAndClose(srv, b, down), POOL);
            writeAllAndClose(cli, a, up);
            srvWrite.get(30, TimeUnit.SECONDS);
            assertArrayEquals(up, srvRead.get(30, TimeUnit.SECONDS));
            assertArrayEquals(down, cliRead.get(30, TimeUnit.SECONDS));
            assertTrue(srv.closeNotifyReceived() && cli.closeNotifyReceived());
        }
    }

    @Test
    void untrustedServerIsRefusedAndTheServerReceivesUnknownCa() throws Exception {
        socketPair();
        TlsSettings ss = new TlsSettings("test", false, certs.otherCert.toString(), certs.otherKey.toString(),
            null, null, false, false, false, false, List.of(), List.of(), List.of(), 0, 0, null, null, null, -1, 0, 0, null);
        TlsSettings cs = client(certs.caCert, null, null, List.of());
        try (SslContext sctx = SslContext.create(ss); SslContext cctx = SslContext.create(cs);
             SslConnection srv = sctx.newConnection(verifier(ss)); SslConnection cli = cctx.newConnection(verifier(cs))) {
            var hs = CompletableFuture.runAsync(() -> handshake(srv, b), POOL);
            OpenSslException e = assertThrows(OpenSslException.class, () -> cli.handshake(a));
            assertTrue(e.getMessage().contains("certificate verify failed"), e.getMessage());
            ExecutionException se = assertThrows(ExecutionException.class, () -> hs.get(20, TimeUnit.SECONDS));
            assertTrue(se.getCause().getMessage().contains("alert unknown ca"), se.getCause().getMessage());
        }
    }

    @Test
    void checkHostMismatchIsRefused() throws Exception {
        socketPair();
        TlsSettings ss = server(false, 0), cs = client(certs.caCert, null, null, List.of("not-this-host.example"));
        try (SslContext sctx = SslContext.create(ss); SslContext cctx = SslContext.create(cs);
             SslConnection srv = sctx.newConnection(verifier(ss)); SslConnection cli = cctx.newConnection(verifier(cs))) {
            var hs = CompletableFuture.runAsync(() -> handshake(srv, b), POOL);
            OpenSslException e = assertThrows(OpenSslException.class, () -> cli.handshake(a));
            assertTrue(e.getMessage().contains("certificate verify failed"), e.getMessage());
            assertThrows(ExecutionException.class, () -> hs.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void requiredClientCertificateMissingGivesCertificateRequiredAlert() throws Exception {
        socketPair();
        TlsSettings ss = server(true, 0), cs = client(certs.caCert, null, null, List.of());
        try (SslContext sctx = SslContext.create(ss); SslContext cctx = SslContext.create(cs);
             SslConnection srv = sctx.newConnection(verifier(ss)); SslConnection cli = cctx.newConnection(verifier(cs))) {
            var hs = CompletableFuture.runAsync(() -> handshake(srv, b), POOL);
            cli.handshake(a); // TLS 1.3: the client finishes before the server judges its (absent) certificate
            ExecutionException se = assertThrows(ExecutionException.class, () -> hs.get(20, TimeUnit.SECONDS));
            assertTrue(se.getCause().getMessage().contains("peer did not return a certificate"), se.getCause().getMessage());
            OpenSslException e = assertThrows(OpenSslException.class, () -> cli.read(a));
            assertTrue(e.getMessage().contains("alert certificate required"), e.getMessage());
        }
    }

    @Test
    void clientCertificateFromTheTrustedCaIsAccepted() throws Exception {
        socketPair();
        TlsSettings ss = server(true, NativeSsl.TLS1_2_VERSION);
        TlsSettings cs = client(certs.caCert, certs.clientCert.toString(), certs.clientKey.toString(), List.of());
        try (SslContext sctx = SslContext.create(ss); SslContext cctx = SslContext.create(cs);
             SslConnection srv = sctx.newConnection(verifier(ss)); SslConnection cli = cctx.newConnection(verifier(cs))) {
            var hs = CompletableFuture.runAsync(() -> handshake(srv, b), POOL);
            cli.handshake(a);
            hs.get(20, TimeUnit.SECONDS);
            assertEquals("TLSv1.2", srv.protocol());
            assertEquals("CN=client", srv.peerSubject());
            assertEquals("CN=Test Root CA", srv.peerIssuer());
        }
    }

    @Test
    void missingCertificateFileFailsWithTheFileInTheQueue() {
        TlsSettings bad = new TlsSettings("test", false, dir.resolve("nope.pem").toString(), null, null, null,
            false, false, false, false, List.of(), List.of(), List.of(), 0, 0, null, null, null, -1, 0, 0, null);
        OpenSslException e = assertThrows(OpenSslException.class, () -> SslContext.create(bad));
        assertEquals("SSL_CTX_use_certificate_chain_file", e.call());
        assertTrue(String.join("\n", e.queue()).contains("nope.pem"), e.queue().toString());
    }

    @Test
    void badCipherListIsRejected() {
        TlsSettings bad = new TlsSettings("test", false, certs.serverCert.toString(), certs.serverKey.toString(), null, null,
            false, false, false, false, List.of(), List.of(), List.of(), 0, 0, "NO-SUCH-CIPHER", null, null, -1, 0, 0, null);
        OpenSslException e = assertThrows(OpenSslException.class, () -> SslContext.create(bad));
        assertEquals("SSL_CTX_set_cipher_list", e.call());
    }

    private static void handshake(SslConnection c, SocketChannel ch) {
        try {
            c.handshake(ch);
        } catch (IOException | OpenSslException e) {
            throw new RuntimeException(e.getMessage(), e);
        }
    }

    private static byte[] readAll(SslConnection c, SocketChannel ch) {
        try {
            var out = new java.io.ByteArrayOutputStream();
            byte[] tmp = new byte[org.jstunnel.io.BufferPool.PLAIN.bufferSize()]; // a read returns up to a buffer
            while (true) {
                ByteBuffer buf = c.read(ch);
                if (buf == SslConnection.CLOSE_NOTIFY || buf == SslConnection.EOF) return out.toByteArray();
                int n = buf.remaining();
                buf.get(tmp, 0, n);
                out.write(tmp, 0, n);
                org.jstunnel.io.BufferPool.PLAIN.release(buf);
            }
        } catch (IOException | OpenSslException e) {
            throw new RuntimeException(e.getMessage(), e);
        }
    }

    private static void writeAllAndClose(SslConnection c, SocketChannel ch, byte[] data) {
        try {
            ByteBuffer buf = ByteBuffer.allocateDirect(data.length);
            buf.put(data).flip();
            c.write(ch, buf);
            c.shutdown(ch);
        } catch (IOException | OpenSslException e) {
            throw new RuntimeException(e.getMessage(), e);
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
