package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import java.util.List;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.Digest;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.FloodBackend;
import org.jstunnel.it.support.OpenSslClient;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.SinkBackend;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TcpBackend;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TlsClient;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Server mode: TLS clients (openssl s_client, JSSE) → the program under test → a plain TCP backend. */
class ServerModeTest {
    private static final String SERVICE = "echo";
    /** The slow reader's fixed receive buffer: small, so the reply queues up in the tunnel. */
    private static final int SLOW_READER_BUFFER = 64 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path pkiDir;
    static TestPki ec;
    static TestPki rsa;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final Resources res = new Resources();

    @BeforeAll
    static void pki() {
        ec = TestPki.create(pkiDir.resolve("ec"), TestPki.KeyType.EC_P256);
        rsa = TestPki.create(pkiDir.resolve("rsa"), TestPki.KeyType.RSA_2048);
    }

    private TunnelProcess serverTunnel(TestPki.Entity identity, int backendPort) {
        return res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(backendPort).identity(identity))));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 16 * 1024 + 1, 1 << 20, 64 << 20})
    void sClientPayloadIsEchoedVerbatimAndCounted(int size) {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = serverTunnel(ec.server(), echo.port());
        Payload payload = Payload.of(size);
        Digest expected = payload.digest();

        OpenSslClient client = res.add(OpenSslClient.connect(dir, "s_client", tunnel.port(SERVICE),
                OpenSslClient.verifying(ec.caFile())));
        client.send(payload);
        assertEquals(expected, client.awaitReceived(size, Timeouts.TRANSFER), "bytes echoed back through the tunnel");
        client.closeInput();
        assertEquals(0, client.awaitExit(), "s_client exit code");

        TcpBackend.Conn backend = echo.awaitConnections(1, Timeouts.LOG_LINE).get(0).awaitDone(Timeouts.LOG_LINE);
        assertEquals(expected, backend.received(), "bytes the backend received");
        assertTrue(backend.sawEof(), "close_notify from the client must reach the backend as EOF");

        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, 0);
        log.requireInOrder(StunnelLog.accepted(SERVICE), StunnelLog.TLS_ACCEPTED,
                StunnelLog.sConnectConnected(echo.port()), StunnelLog.connectedRemote(SERVICE, backend.remotePort()),
                StunnelLog.closed(size, size));
        assertEquals(1, echo.connections().size(), "one backend connection per client connection");
    }

    @Test
    void byteCountsAreLoggedPerDirection() {
        long up = 100_000;
        Payload reply = Payload.of(7_777);
        SinkBackend sink = res.add(new SinkBackend(up, reply));
        TunnelProcess tunnel = serverTunnel(ec.server(), sink.port());

        OpenSslClient client = res.add(OpenSslClient.connect(dir, "s_client", tunnel.port(SERVICE),
                OpenSslClient.verifying(ec.caFile())));
        client.send(Payload.of(up));
        assertEquals(reply.digest(), client.awaitReceived(reply.size(), Timeouts.TRANSFER));
        // the backend closed: the tunnel must send close_notify, on which s_client exits by itself
        assertEquals(0, client.awaitExit(), "s_client exit code after the server's close_notify");

        TcpBackend.Conn backend = sink.awaitConnections(1, Timeouts.LOG_LINE).get(0).awaitDone(Timeouts.LOG_LINE);
        assertEquals(Payload.of(up).digest(), backend.received());
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, 0);
        log.require(StunnelLog.closed(reply.size(), up));
    }

    enum Identity {
        EC_KEY_FILE, EC_KEY_IN_CERT_FILE, RSA_KEY_FILE, RSA_KEY_IN_CERT_FILE;

        TestPki pki() {
            return name().startsWith("EC") ? ec : rsa;
        }

        TestPki.Entity entity() {
            return name().endsWith("IN_CERT_FILE") ? pki().server().combined() : pki().server();
        }

        String signatureType() {
            return name().startsWith("EC") ? "ECDSA" : "RSA-PSS";
        }
    }

    @ParameterizedTest
    @EnumSource(Identity.class)
    void serverPresentsItsConfiguredIdentity(Identity identity) {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = serverTunnel(identity.entity(), echo.port());
        Payload payload = Payload.of(16 * 1024);

        OpenSslClient client = res.add(OpenSslClient.connect(dir, "s_client", tunnel.port(SERVICE),
                OpenSslClient.verifying(identity.pki().caFile())));
        client.send(payload);
        assertEquals(payload.digest(), client.awaitReceived(payload.size(), Timeouts.TRANSFER));
        client.closeInput();
        assertEquals(0, client.awaitExit());

        String summary = client.stderr();
        assertTrue(summary.contains("Peer certificate: CN = localhost"), summary);
        assertTrue(summary.contains("Verification: OK"), summary);
        assertTrue(summary.contains("Signature type: " + identity.signatureType()), summary);
        ConnectionLog.awaitEnded(tunnel, SERVICE, 0).require(StunnelLog.closed(payload.size(), payload.size()));
    }

    @Test
    void tls13HalfCloseKeepsTheOtherDirectionFlowing() {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = serverTunnel(ec.server(), echo.port());
        Payload payload = Payload.of(1 << 20);

        // JSSE: shutdownOutput() sends close_notify, then the client keeps reading until the tunnel closes
        Exchange ex = Exchange.run(TlsClient.connect(tunnel.port(SERVICE), ec.caFile(), "TLSv1.3"), payload)
                .requireSuccess();
        assertEquals(payload.digest(), ex.received(), "everything echoed after the client's close_notify");

        TcpBackend.Conn backend = echo.awaitConnections(1, Timeouts.LOG_LINE).get(0).awaitDone(Timeouts.LOG_LINE);
        assertTrue(backend.sawEof());
        ConnectionLog.awaitEnded(tunnel, SERVICE, ex.localPort())
                .require(StunnelLog.closed(payload.size(), payload.size()));
        assertEquals(List.of(), echo.connections().stream().filter(c -> c.error() != null).toList());
    }

    /**
     * The client sends a request and half-closes; the backend answers until every buffer on the way
     * is full (the client reads nothing yet), then closes at once. The backend's FIN thus arrives
     * while the tunnel still holds queued reply bytes, which it must all deliver once the client reads.
     * stunnel 5.68 fails this: it takes POLLHUP on the backend socket as EOF and drops what is still
     * queued in the socket (later stunnel releases check FIONREAD first).
     */
    @Test
    @Tag("stunnel-5.68-fails")
    void queuedReplySurvivesTheBackendsCloseBehindASlowReader() throws Exception {
        FloodBackend flood = res.add(new FloodBackend(5, 42));
        TunnelProcess tunnel = serverTunnel(ec.server(), flood.port());

        try (SSLSocket s = TlsClient.connect(tunnel.port(SERVICE), ec.caFile(), "TLSv1.3", SLOW_READER_BUFFER)) {
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.shutdownOutput();
            TcpBackend.Conn backend = flood.awaitConnections(1, Timeouts.LOG_LINE).get(0).awaitDone(Timeouts.TRANSFER);
            assertEquals(null, backend.error());
            Thread.sleep(FloodBackend.STALL.toMillis()); // the tunnel sees the FIN before the client reads

            Digest.Builder got = new Digest.Builder();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = s.getInputStream().read(buf)) >= 0) {
                got.update(buf, 0, n);
            }
            assertEquals(backend.sent(), got.build(), "everything the backend wrote before closing");
            ConnectionLog.awaitEnded(tunnel, SERVICE, 0).require(StunnelLog.closed(backend.sent().count(), 5));
        }
    }
}
