package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.jstunnel.it.support.Commands;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.LogLine;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TlsClient;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * Idle connections: jstunnel parks them in an epoll set with no thread (conn.Pump, io.ReadinessWatcher);
 * data arriving later must resume them, and stunnel's idle timeout must still end them.
 */
class IdleConnectionTest extends EcPkiTestSupport {
    private static final String SERVICE = "echo";


    private TunnelProcess tunnel(EchoBackend echo, String... options) {
        return res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig().service(SERVICE, s -> {
            s.accept("127.0.0.1:0").connect(echo.port()).identity(pki.server());
            for (int i = 0; i < options.length; i += 2) s.set(options[i], options[i + 1]);
        })));
    }

    @Test
    void manyIdleConnectionsEachCarryDataWhenItComes() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = tunnel(echo);
        int n = 150;
        List<SSLSocket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) clients.add(TlsClient.connect(tunnel.port(SERVICE), pki.caFile(), "TLSv1.3"));
            // every tunnel has reached its backend, then all sit idle for a while
            tunnel.awaitLog(0, StunnelLog.connectedRemote(SERVICE), n);
            Thread.sleep(1500);
            // in reverse order, so that resumption does not follow the order of arming
            for (int i = n - 1; i >= 0; i--) {
                byte[] msg = ("message " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                clients.get(i).getOutputStream().write(msg);
                clients.get(i).getOutputStream().flush();
                assertArrayEquals(msg, clients.get(i).getInputStream().readNBytes(msg.length), "echo on connection " + i);
            }
            // and once more, each after the other went idle again
            for (int i = 0; i < n; i++) {
                byte[] msg = ("again " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                clients.get(i).getOutputStream().write(msg);
                clients.get(i).getOutputStream().flush();
                assertArrayEquals(msg, clients.get(i).getInputStream().readNBytes(msg.length), "second echo on connection " + i);
            }
        } finally {
            for (SSLSocket s : clients) s.close();
        }
        List<LogLine> ends = tunnel.awaitLog(0, StunnelLog.CONNECTION_END, n);
        assertEquals(n, ends.size());
        for (LogLine end : ends) assertTrue(end.text().startsWith("Connection closed"), end.raw());
    }

    @Test
    void anIdleConnectionIsResetAfterTimeoutIdle() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = tunnel(echo, "TIMEOUTidle", "1");
        try (SSLSocket client = TlsClient.connect(tunnel.port(SERVICE), pki.caFile(), "TLSv1.3")) {
            byte[] msg = "hi\n".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(msg);
            client.getOutputStream().flush();
            assertArrayEquals(msg, client.getInputStream().readNBytes(3));
            // then nothing: the tunnel ends the connection within a few seconds (TCP RST: reset = yes)
            InputStream in = client.getInputStream();
            long start = System.nanoTime();
            try {
                assertEquals(-1, in.read(), "no data after the idle timeout");
            } catch (IOException expected) {
                // the RST itself
            }
            assertTrue(System.nanoTime() - start < Timeouts.LOG_LINE.toNanos(), "ended by the idle timeout");
            ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, client.getLocalPort());
            log.require(Pattern.compile("transfer: s_poll_wait: TIMEOUTidle exceeded: sending reset"));
            assertEquals("reset", log.end().status());
            assertEquals(3, log.end().sentToTls());
            assertEquals(3, log.end().sentToSocket());
        }
    }

    @Test
    void aTls13ClientLeavingRightAfterTheHandshakeIsClosedNotReset() {
        // openssl s_time -new: handshake, no application data, close without reading the session
        // tickets; stunnel (OpenSSL on a socket) completes the handshake and logs "Connection closed"
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = tunnel(echo);
        Commands.run(dir, List.of("timeout", "20", "openssl", "s_time", "-connect", "127.0.0.1:" + tunnel.port(SERVICE),
                "-new", "-tls1_3", "-time", "1"));
        long accepted = tunnel.log().stream().filter(l -> l.matches(StunnelLog.accepted(SERVICE))).count();
        assertTrue(accepted >= 5, "connections made: " + accepted);
        List<LogLine> ends = tunnel.awaitLog(0, StunnelLog.CONNECTION_END, (int) accepted);
        for (LogLine end : ends) assertTrue(end.text().startsWith("Connection closed"), end.raw());
        // (a peer's RST may show at info level as "TLS fd: Connection reset by peer", as in stunnel's log)
        assertTrue(tunnel.log().stream().noneMatch(l -> l.level() <= 3 && !"ui".equals(l.id())), "no connection logged an error");
    }

    @Test
    void aClientClosingAnIdleConnectionEndsItAsClosedAndTheTunnelServesOn() throws IOException {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = tunnel(echo);
        SSLSocket client = TlsClient.connect(tunnel.port(SERVICE), pki.caFile(), "TLSv1.3");
        tunnel.awaitLog(0, StunnelLog.connectedRemote(SERVICE), 1);
        client.close();
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, client.getLocalPort());
        assertEquals("closed", log.end().status());
        // the tunnel still serves: a new connection works end to end
        try (SSLSocket again = TlsClient.connect(tunnel.port(SERVICE), pki.caFile(), "TLSv1.3")) {
            again.getOutputStream().write('x');
            again.getOutputStream().flush();
            assertEquals('x', again.getInputStream().read());
        }
    }
}
