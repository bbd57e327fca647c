package org.jstunnel.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jstunnel.it.attach.support.TlsPeer;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.LogLine;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * The remote end's options: several {@code connect} targets with {@code failover = prio | rr}, the
 * delayed resolver ({@code delay}), {@code reset} and {@code logId}. One target is always dead (a
 * loopback port nothing listens on): connecting to it is refused at once.
 */
class FailoverTest extends EcPkiTestSupport {
    private static final Pattern PRIORITY = Pattern.compile("failover: priority, starting at entry #0");
    private static final Pattern ROUND_ROBIN = Pattern.compile("failover: round-robin, starting at entry #(\\d+)");


    private static Pattern refused(int port) {
        return Pattern.compile("s_connect: connect 127\\.0\\.0\\.1:" + port + ": Connection refused \\(111\\)");
    }

    /** One TLS round trip through {@code service}; returns that connection's log. */
    private static ConnectionLog roundTrip(TunnelProcess tunnel, String service) {
        Exchange ex = Exchange.run(TlsPeer.connect("127.0.0.1", tunnel.port(service), pki.caFile(), null),
                "ping".getBytes()).requireSuccess();
        assertEquals("ping", ex.receivedText());
        return ConnectionLog.awaitEnded(tunnel, service, ex.localPort());
    }

    @Test
    void priorityTriesTheTargetsInOrderEveryTime() {
        EchoBackend echo = res.add(new EchoBackend());
        int dead = Ports.freeLoopbackPort();
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service("prio", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(dead).connect(echo.port()))));
        for (int i = 0; i < 3; i++) {
            roundTrip(tunnel, "prio").requireInOrder(PRIORITY, refused(dead), StunnelLog.sConnectConnected(echo.port()),
                    StunnelLog.closed(4, 4));
        }
        assertEquals(3, echo.connections().size());
    }

    @Test
    void roundRobinStartsOneEntryFurtherForEachConnection() {
        EchoBackend a = res.add(new EchoBackend());
        EchoBackend b = res.add(new EchoBackend());
        int dead = Ports.freeLoopbackPort();
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service("rr", s -> s.accept("127.0.0.1:0").identity(pki.server()).set("failover", "rr")
                        .connect(a.port()).connect(b.port()).connect(dead))));
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            LogLine line = roundTrip(tunnel, "rr").require(ROUND_ROBIN);
            Matcher m = ROUND_ROBIN.matcher(line.text());
            assertTrue(m.matches());
            starts.add(Integer.parseInt(m.group(1)));
        }
        for (int i = 1; i < starts.size(); i++) {
            assertEquals((starts.get(i - 1) + 1) % 3, starts.get(i), "starting entries " + starts);
        }
        // entry #2 (dead) fails over to entry #0: a gets two rounds of three
        assertEquals(4, a.connections().size(), "a: entries #0 and #2");
        assertEquals(2, b.connections().size(), "b: entry #1");
        assertEquals(2, tunnel.log().stream().filter(l -> l.matches(refused(dead))).count());
    }

    @Test
    void theDelayedResolverResolvesForEachConnectionAndForcesPriority() {
        EchoBackend echo = res.add(new EchoBackend());
        int dead = Ports.freeLoopbackPort();
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service("delayed", s -> s.accept("127.0.0.1:0").identity(pki.server())
                        .set("delay", "yes").set("failover", "rr")
                        .connect(dead).set("connect", "localhost:" + echo.port()))));
        for (int i = 0; i < 2; i++) {
            roundTrip(tunnel, "delayed").requireInOrder(PRIORITY, refused(dead), StunnelLog.closed(4, 4));
        }
        assertTrue(tunnel.findLog(ROUND_ROBIN).isEmpty(), "delay = yes inflicts failover = prio");
    }

    @Test
    void aTargetThatDoesNotResolveAtStartupEngagesTheDelayedResolver() {
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service("unresolved", s -> s.accept("127.0.0.1:0").identity(pki.server())
                        .set("connect", "nosuchhost.invalid:443"))));
        Pattern error = Pattern.compile("Error resolving \"nosuchhost\\.invalid\": .*");
        tunnel.awaitLog(Pattern.compile("Cannot resolve connect target - delaying DNS lookup"));
        try (Socket s = TlsPeer.connect("127.0.0.1", tunnel.port("unresolved"), pki.caFile(), null)) {
            s.getInputStream().read();
        } catch (IOException expected) {
            // the tunnel resets the connection
        }
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, "unresolved", 0);
        log.requireInOrder(error, Pattern.compile("No remote host resolved"),
                Pattern.compile("Connection reset: 0 byte\\(s\\) sent to TLS, 0 byte\\(s\\) sent to socket"));
    }

    @Test
    void resetNoClosesAFailedConnectionWithoutRst() throws IOException {
        int dead = Ports.freeLoopbackPort();
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service("rst", s -> s.client().accept("127.0.0.1:0").connect(dead))
                .service("fin", s -> s.client().accept("127.0.0.1:0").connect(dead).set("reset", "no"))));

        try (Socket s = PlainClient.connect(tunnel.port("rst"))) {
            InputStream in = s.getInputStream();
            assertThrows(SocketException.class, in::read, "reset = yes (the default): RST");
            ConnectionLog.awaitEnded(tunnel, "rst", s.getLocalPort())
                    .require(Pattern.compile("Connection reset: 0 byte\\(s\\) sent to TLS, 0 byte\\(s\\) sent to socket"));
        }
        try (Socket s = PlainClient.connect(tunnel.port("fin"))) {
            assertEquals(-1, s.getInputStream().read(), "reset = no: FIN");
            ConnectionLog.awaitEnded(tunnel, "fin", s.getLocalPort()).require(StunnelLog.closed(0, 0));
        }
    }

    @Test
    void logIdTypes() {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .global("logId", "unique")
                .service("unique", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(echo.port()))
                .service("process", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(echo.port())
                        .set("logId", "process"))
                .service("thread", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(echo.port())
                        .set("logId", "thread"))
                .service("sequential", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(echo.port())
                        .set("logId", "sequential"))));
        String u1 = roundTrip(tunnel, "unique").id();
        String u2 = roundTrip(tunnel, "unique").id();
        assertTrue(u1.matches("[0-9A-Za-z]{22}"), u1);
        assertTrue(!u1.equals(u2), "unique ids differ");
        assertEquals(Long.toString(tunnel.process().pid()), roundTrip(tunnel, "process").id());
        assertTrue(roundTrip(tunnel, "thread").id().matches("\\d+"));
        // sequential counts every connection of the process, whatever the other services' types
        assertEquals("4", roundTrip(tunnel, "sequential").id());
    }
}
