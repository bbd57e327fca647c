package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.HandshakeProbe;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.ScriptedBackend;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TlsClient;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each way a connection can end, as stunnel ends it (client.c transfer and ssl_start): what the peers
 * receive, the alert they see, and the lines logged. Every case passes against stunnel4 as well.
 */
class ConnectionEndingsTest extends EcPkiTestSupport {
    private static final String SERVICE = "svc";
    private static final byte[] REQUEST = "GET / HTTP/1.0\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern UNEXPECTED_EOF_ACCEPT = Pattern.compile(
            "^SSL_accept: (\\w+@)?\\S+:\\d+: error:0A000126:SSL routines::unexpected eof while reading$");

    private TunnelProcess server(int backendPort, String debug) {
        return res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig().global("debug", debug)
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(backendPort).identity(pki.server()))));
    }

    private Socket connect(TunnelProcess tunnel) throws IOException {
        Socket plain = res.add(new Socket());
        plain.connect(new InetSocketAddress(Ports.LOOPBACK, tunnel.port(SERVICE)), (int) Timeouts.LOG_LINE.toMillis());
        plain.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
        return plain;
    }

    /** TLS over {@code plain}, and the request sent through it. */
    private static SSLSocket request(Socket plain, String version) throws IOException {
        SSLSocket tls = TlsClient.over(plain, pki.caFile(), version);
        tls.getOutputStream().write(REQUEST);
        tls.getOutputStream().flush();
        return tls;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) got.write(buf, 0, n);
        return got.toByteArray();
    }

    /** stunnel 5.68 loses the answer when the FIN comes on its own (its SSL_read meets the EOF first). */
    @Tag("stunnel-5.68-fails")
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aClientThatSendsFinWithoutCloseNotifyGetsTheWholeAnswerEveryTime(String version) throws Exception {
        Payload answer = Payload.of(100_000);
        ScriptedBackend backend = res.add(new ScriptedBackend((s, conn) -> {
            ScriptedBackend.readRequest(s);
            answer.writeTo(s.getOutputStream());
            s.close();
        }));
        TunnelProcess tunnel = server(backend.port(), "info");
        int lastPort = 0;
        for (int i = 0; i < 100; i++) {
            try (Socket plain = connect(tunnel)) {
                lastPort = plain.getLocalPort();
                SSLSocket tls = request(plain, version);
                plain.shutdownOutput(); // a TCP FIN, no close_notify: the client only stops sending
                byte[] got = readAll(tls.getInputStream()); // ends at the tunnel's close_notify (-1)
                assertArrayEquals(answer.bytes(), got, "try " + i + ": the answer, whole");
            }
        }
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, lastPort);
        // the client's FIN and the backend's answer race: the close_notify may come before or after the hangup
        // a TLS 1.2 server keeps no copy of the client's ECDHE key (OpenSSL), so stunnel says there is none
        log.requireInOrder(Pattern.compile("TLSv1.3".equals(version) ? "^Peer temporary key: X25519, 253 bits$"
                        : "^No peer temporary key received$"),
                Pattern.compile("^persistence: 127\\.0\\.0\\.1:" + backend.port() + " cached$"),
                Pattern.compile("^SSL_shutdown successfully sent close_notify alert$"));
        if ("TLSv1.3".equals(version)) { // stunnel's new session callback: TLS 1.3 tickets (none for 1.2 here)
            assertEquals(6, log.require(Pattern.compile("^No peer certificate received$")).level());
        }
        assertEquals(6, log.require(Pattern.compile("^TLS socket closed \\(read hangup\\)$")).level());
        assertEquals("closed", log.end().status());
        assertEquals(100_000, log.end().sentToTls());
        assertEquals(REQUEST.length, log.end().sentToSocket());
    }

    @Test
    void aBackendThatClosesFirstStillReceivesWhatTheClientSendsAfterwards() throws Exception {
        byte[] late = new byte[500];
        java.util.Arrays.fill(late, (byte) 'z');
        java.util.concurrent.CompletableFuture<byte[]> afterFin = new java.util.concurrent.CompletableFuture<>();
        ScriptedBackend backend = res.add(new ScriptedBackend((s, conn) -> {
            ScriptedBackend.readRequest(s);
            s.getOutputStream().write(new byte[1000]);
            s.shutdownOutput(); // the backend is done sending, and keeps reading
            afterFin.complete(readAll(s.getInputStream()));
            s.close();
        }));
        TunnelProcess tunnel = server(backend.port(), "info");
        int port;
        try (Socket plain = connect(tunnel)) {
            port = plain.getLocalPort();
            SSLSocket tls = request(plain, "TLSv1.3");
            assertEquals(1000, readAll(tls.getInputStream()).length); // then the tunnel's close_notify
            tls.getOutputStream().write(late);
            tls.getOutputStream().flush();
            tls.shutdownOutput(); // close_notify
            assertArrayEquals(late, afterFin.get(Timeouts.LOG_LINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        }
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, port);
        log.requireInOrder(Pattern.compile("^Read socket closed \\((readsocket|read hangup)\\)$"),
                Pattern.compile("^SSL_shutdown successfully sent close_notify alert$"),
                Pattern.compile("^TLS closed \\(SSL_read\\)$"));
        assertEquals("closed", log.end().status());
        assertEquals(REQUEST.length + late.length, log.end().sentToSocket());
    }

    @Test
    void aBackendResetMidTransferIsLoggedAtInfoAndTheClientGetsWhatCameBeforeAndCloseNotify() throws Exception {
        ScriptedBackend backend = res.add(new ScriptedBackend((s, conn) -> {
            ScriptedBackend.readRequest(s);
            s.getOutputStream().write(new byte[1000]);
            s.getOutputStream().flush();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ScriptedBackend.reset(s);
        }));
        TunnelProcess tunnel = server(backend.port(), "info");
        int port;
        try (Socket plain = connect(tunnel)) {
            port = plain.getLocalPort();
            SSLSocket tls = request(plain, "TLSv1.3");
            assertEquals(1000, readAll(tls.getInputStream()).length); // ended by close_notify, not a reset
        }
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, port);
        log.requireInOrder(Pattern.compile("^socket fd: Connection reset by peer \\(104\\)$"),
                Pattern.compile("^writesocket: Socket is closed$"),
                Pattern.compile("^SSL_shutdown successfully sent close_notify alert$"));
        assertEquals(6, log.require(Pattern.compile("^socket fd: Connection reset by peer \\(104\\)$")).level());
        assertEquals(6, log.require(Pattern.compile("^writesocket: Socket is closed$")).level());
        log.requireAbsent(Pattern.compile("^transfer: "));
        assertEquals("closed", log.end().status());
    }

    @Test
    void aClientResetWhileTheBackendStreamsLosesDataAndIsAnsweredWithAReset() throws Exception {
        java.util.concurrent.CompletableFuture<Boolean> backendReset = new java.util.concurrent.CompletableFuture<>();
        ScriptedBackend backend = res.add(new ScriptedBackend((s, conn) -> {
            ScriptedBackend.readRequest(s);
            byte[] chunk = new byte[16 * 1024];
            OutputStream out = s.getOutputStream();
            try {
                for (int i = 0; i < 20_000; i++) { // at most ~320 MB, ended by the tunnel's reset long before
                    out.write(chunk);
                }
                backendReset.complete(false);
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                backendReset.complete(m.startsWith("Connection reset") || m.startsWith("Broken pipe"));
            }
        }));
        TunnelProcess tunnel = server(backend.port(), "info");
        int port;
        try (Socket plain = connect(tunnel)) {
            port = plain.getLocalPort();
            SSLSocket tls = request(plain, "TLSv1.3");
            byte[] buf = new byte[16 * 1024];
            long got = 0;
            while (got < 200_000) got += tls.getInputStream().read(buf);
            plain.setSoLinger(true, 0); // closing now sends a RST: the answer's rest is lost to the client
        }
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, port);
        assertEquals(6, log.require(Pattern.compile("^TLS fd: (Connection reset by peer \\(104\\)|Broken pipe \\(32\\))$")).level());
        assertEquals(3, log.require(Pattern.compile("^TLS socket closed \\(SSL_(read|write)\\) with \\d+ unsent byte\\(s\\)$")).level());
        assertEquals("reset", log.end().status());
        assertTrue(backendReset.get(Timeouts.LOG_LINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS),
                "the backend's connection is reset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nothing", "partial ClientHello"})
    void eofBeforeTheClientHelloIsHandedToOpenSslWhichAnswersWithAFatalAlert(String sent) throws Exception {
        TunnelProcess tunnel = server(Ports.freeLoopbackPort(), "info");
        byte[] got;
        int port;
        try (Socket plain = connect(tunnel)) {
            port = plain.getLocalPort();
            if (sent.startsWith("partial")) {
                plain.getOutputStream().write(new HandshakeProbe("TLSv1.3").clientHello(), 0, 20);
            }
            plain.shutdownOutput();
            got = readAll(plain.getInputStream());
        }
        assertEquals("2/50", HandshakeProbe.plainAlertAtEnd(got), "a fatal decode_error alert");
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, port);
        assertEquals(3, log.require(UNEXPECTED_EOF_ACCEPT).level());
        log.requireAbsent(Pattern.compile("Peer suddenly disconnected"));
        assertEquals("reset/closed", log.end().status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void eofAfterTheClientHelloEndsTheServersFlightWithAFatalAlert(String version) throws Exception {
        TunnelProcess tunnel = server(Ports.freeLoopbackPort(), "debug");
        HandshakeProbe probe = new HandshakeProbe(version);
        byte[] got;
        int port;
        try (Socket plain = connect(tunnel)) {
            port = plain.getLocalPort();
            plain.getOutputStream().write(probe.clientHello());
            plain.shutdownOutput();
            got = readAll(plain.getInputStream());
        }
        assertEquals("decode_error", probe.alertIn(got));
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, port);
        log.requireInOrder(Pattern.compile("^TLS alert \\(write\\): fatal: decode error$"), UNEXPECTED_EOF_ACCEPT);
        assertEquals("reset/closed", log.end().status());
    }

    @Test
    void aResetDuringTheHandshakeIsTheSocketErrorOfSslAccept() throws Exception {
        TunnelProcess tunnel = server(Ports.freeLoopbackPort(), "info");
        int port;
        try (Socket plain = connect(tunnel)) {
            port = plain.getLocalPort();
            plain.getOutputStream().write(new HandshakeProbe("TLSv1.3").clientHello());
            plain.getInputStream().read(); // the server's flight has come: now it waits for ours
            plain.setSoLinger(true, 0);
        }
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, port);
        assertEquals(3, log.require(Pattern.compile("^SSL_accept: Connection reset by peer \\(104\\)$")).level());
        assertEquals("reset", log.end().status());
    }

    @Test
    void eofFromTheServerDuringAClientHandshakeIsHandedToOpenSsl() throws Exception {
        try (ServerSocket tlsServer = new ServerSocket(0, 1, java.net.InetAddress.getByName(Ports.LOOPBACK))) {
            TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                    .service(SERVICE, s -> s.set("client", "yes").accept("127.0.0.1:0").connect(tlsServer.getLocalPort()))));
            java.util.concurrent.CompletableFuture<byte[]> afterHello = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Socket s = tlsServer.accept()) {
                    s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
                    byte[] hdr = s.getInputStream().readNBytes(5); // the ClientHello record
                    s.getInputStream().readNBytes(((hdr[3] & 0xff) << 8) | (hdr[4] & 0xff));
                    s.shutdownOutput(); // the server leaves without a word
                    afterHello.complete(readAll(s.getInputStream()));
                } catch (IOException e) {
                    afterHello.completeExceptionally(e);
                }
            });
            int port;
            try (Socket plain = connect(tunnel)) {
                port = plain.getLocalPort();
                try {
                    assertEquals(-1, plain.getInputStream().read()); // the tunnel ends the client's connection
                } catch (java.net.SocketException e) {
                    // or resets it: stunnel's reset = yes after a failed handshake
                }
            }
            assertEquals("2/50", HandshakeProbe.plainAlertAtEnd(afterHello.get(Timeouts.LOG_LINE.toSeconds(),
                    java.util.concurrent.TimeUnit.SECONDS)), "the server got a fatal decode_error alert");
            ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, port);
            assertEquals(3, log.require(Pattern.compile(
                    "^SSL_connect: (\\w+@)?\\S+:\\d+: error:0A000126:SSL routines::unexpected eof while reading$")).level());
        }
    }
}
