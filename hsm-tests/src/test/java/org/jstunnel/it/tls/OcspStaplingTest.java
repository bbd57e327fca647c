package org.jstunnel.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.Stunnel4Process;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.CaPki;
import org.jstunnel.it.tls.support.Conns;
import org.jstunnel.it.tls.support.OcspResponder;
import org.jstunnel.it.tls.support.SClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCSP stapling (stunnel 5.75): jstunnel servers fetch their own certificate's status from the AIA
 * responder ({@code openssl ocsp} makes the answers) in the background and staple it, which
 * {@code openssl s_client -status} shows; a dead or hanging responder means no staple and no slower
 * handshake. jstunnel clients with verifyChain check the staple; OCSPrequire decides what an
 * inconclusive answer does. stunnel4 (5.68, which has no stapling) serves as the peer both ways.
 */
class OcspStaplingTest {
    private static final Pattern RESPONSE_CACHED = Pattern.compile("OCSP: Certificate accepted");
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static CaPki pki;
    static OcspResponder responder;
    static ServerSocket hangingResponder;
    static final List<Socket> held = new ArrayList<>();
    static int deadPort;
    static int recoveringPort;
    static CaPki.Leaf recovering;
    static CaPki.Leaf good;
    static CaPki.Leaf revoked;
    static CaPki.Leaf dead;
    static CaPki.Leaf hanging;
    static EchoBackend echo;
    static TunnelProcess servers;
    static TunnelProcess clients;

    @RegisterExtension
    final Resources res = new Resources();

    @BeforeAll
    static void start() throws IOException {
        pki = CaPki.create(dir.resolve("pki"));
        responder = OcspResponder.start(pki);
        deadPort = Ports.freeLoopbackPort();
        recoveringPort = Ports.freeLoopbackPort();
        hangingResponder = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(OcspStaplingTest::holdConnections);
        String san = "DNS:localhost,IP:127.0.0.1";
        good = pki.issue("staple-good", "localhost", san, aia(responder.url()));
        revoked = pki.issue("staple-revoked", "localhost", san, aia(responder.url()));
        pki.revoke(revoked);
        dead = pki.issue("staple-dead", "localhost", san, aia("http://127.0.0.1:" + deadPort + "/"));
        recovering = pki.issue("staple-recovering", "localhost", san, aia("http://127.0.0.1:" + recoveringPort + "/"));
        hanging = pki.issue("staple-hanging", "localhost", san,
                aia("http://127.0.0.1:" + hangingResponder.getLocalPort() + "/"));
        echo = new EchoBackend();

        StunnelConfig s = new StunnelConfig().global("debug", "info");
        server(s, "good", good);
        server(s, "revoked", revoked);
        server(s, "dead", dead);
        server(s, "recovering", recovering);
        server(s, "hanging", hanging).set("TIMEOUTbusy", "20");
        servers = TunnelProcess.start(dir.resolve("servers"), "jstunnel-servers", s);
        // the refresher's first round: good and revoked are cached, dead found nothing
        servers.awaitLog(0, RESPONSE_CACHED, 1);
        servers.awaitLog(0, Pattern.compile("OCSP: Certificate revoked: 1: keyCompromise"), 1);
        servers.awaitLog(0, Pattern.compile("s_connect: connect 127\\.0\\.0\\.1:" + deadPort + ": Connection refused \\(111\\)"), 1);
        servers.awaitLog(0, Pattern.compile("s_connect: connect 127\\.0\\.0\\.1:" + recoveringPort + ": Connection refused \\(111\\)"), 1);

        StunnelConfig c = new StunnelConfig().global("debug", "info");
        client(c, "c-good", "good");
        client(c, "c-revoked", "revoked");
        client(c, "c-dead-nothing-to-ask", "dead");
        client(c, "c-dead-require", "dead").set("OCSPaia", "yes").set("TIMEOUTocsp", "2");
        client(c, "c-dead-norequire", "dead").set("OCSPaia", "yes").set("OCSPrequire", "no");
        clients = TunnelProcess.start(dir.resolve("clients"), "jstunnel-clients", c);
    }

    private static String aia(String url) {
        return "authorityInfoAccess = OCSP;URI:" + url;
    }

    private static StunnelConfig.Section server(StunnelConfig c, String name, CaPki.Leaf leaf) {
        StunnelConfig.Section[] out = new StunnelConfig.Section[1];
        c.service(name, s -> out[0] = s.accept("127.0.0.1:0").connect(echo.port()).set("cert", leaf.chainFile())
                .set("key", leaf.keyFile()).set("CAfile", pki.rootFile()));
        return out[0];
    }

    private static StunnelConfig.Section client(StunnelConfig c, String name, String server) {
        StunnelConfig.Section[] out = new StunnelConfig.Section[1];
        c.service(name, s -> out[0] = s.client().accept("127.0.0.1:0").connect(servers.port(server))
                .set("CAfile", pki.rootFile()).set("verifyChain", "yes").set("checkHost", "localhost"));
        return out[0];
    }

    /** A responder that accepts and never answers (bounded: the test's lifetime, at most 64 connections). */
    private static void holdConnections() {
        try {
            while (held.size() < 64) {
                Socket s = hangingResponder.accept();
                synchronized (held) {
                    held.add(s);
                }
            }
        } catch (IOException e) {
            // closed at the end
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (clients != null) clients.close();
        if (servers != null) servers.close();
        if (echo != null) echo.close();
        if (responder != null) responder.close();
        if (hangingResponder != null) hangingResponder.close();
        synchronized (held) {
            for (Socket s : held) s.close();
        }
    }

    private static SClient status(String service, String version) {
        return SClient.run(dir.resolve("s_client"), servers.port(service), List.of("-status", version,
                "-CAfile", pki.rootFile().toString(), "-verify_return_error"), "ping\n", Duration.ofMillis(3000), "ping");
    }

    @Test
    void serverStaplesAGoodResponse() {
        for (String version : List.of("-tls1_3", "-tls1_2")) {
            SClient c = status("good", version);
            assertTrue(c.stdout().contains("OCSP Response Status: successful (0x0)"), c.toString());
            assertTrue(c.stdout().contains("Cert Status: good"), c.toString());
            assertTrue(c.stdout().contains("ping"), "data through the tunnel: " + c);
        }
    }

    @Test
    void serverStaplesARevokedResponseAsStunnelDoes() {
        SClient c = status("revoked", "-tls1_3");
        assertTrue(c.stdout().contains("Cert Status: revoked"), c.toString());
        assertTrue(c.stdout().contains("Revocation Reason: keyCompromise (0x1)"), c.toString());
    }

    @Test
    void deadResponderMeansNoStapleAndAFullHandshake() {
        long t0 = System.nanoTime();
        SClient c = status("dead", "-tls1_3");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(c.stdout().contains("OCSP response: no response sent"), c.toString());
        assertTrue(c.stdout().contains("ping"), "data through the tunnel: " + c);
        assertTrue(ms < 2500, "handshake and echo took " + ms + " ms");
        System.out.println("dead responder: s_client -status handshake + echo took " + ms + " ms");
        servers.awaitLog(0, Pattern.compile("OCSP: No OCSP stapling response to send"), 1);
    }

    @Test
    void hangingResponderNeverDelaysHandshakes() {
        // the refresher is still waiting for the hanging responder (TIMEOUTbusy = 20 s) meanwhile
        servers.awaitLog(0, Pattern.compile("OCSP: Connecting the AIA responder \"http://127\\.0\\.0\\.1:"
                + hangingResponder.getLocalPort() + "/\""), 1);
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            SClient c = status("hanging", "-tls1_2");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(c.stdout().contains("OCSP response: no response sent"), c.toString());
            assertTrue(c.stdout().contains("ping"), c.toString());
            assertTrue(ms < 2500, "handshake and echo took " + ms + " ms");
            System.out.println("hanging responder: s_client -status handshake + echo took " + ms + " ms");
        }
        // and the good service still staples (the pool is not stuck behind the hanging fetch)
        assertTrue(status("good", "-tls1_3").stdout().contains("Cert Status: good"));
    }

    /** A responder down at start-up and up later: the next per-minute round fetches, then the server staples. */
    @Test
    void aResponderThatComesBackIsUsedOnTheNextRound() {
        assertTrue(status("recovering", "-tls1_3").stdout().contains("OCSP response: no response sent"));
        int mark = servers.mark();
        try (OcspResponder late = OcspResponder.start(pki, recoveringPort)) {
            long t0 = System.nanoTime();
            Logs.await(servers.logFile(), mark, Pattern.compile("OCSP: Connecting the AIA responder \"http://127\\.0\\.0\\.1:"
                    + recoveringPort + "/\""), 1, Duration.ofSeconds(75), servers.process()::isAlive);
            SClient c = null;
            for (int i = 0; i < 20; i++) { // bounded: the fetch and the check take well under 4 s
                c = status("recovering", "-tls1_3");
                if (c.stdout().contains("Cert Status: good")) break;
                pause(200);
            }
            System.out.println("recovered responder used after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertTrue(c.stdout().contains("Cert Status: good"), c.toString());
            c = status("recovering", "-tls1_2");
            assertTrue(c.stdout().contains("Cert Status: good"), c.toString());
            assertEquals(1, late.requests(), "the staple comes from the cache, not a fetch per handshake");
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Exchange through(String service) {
        return PlainClient.exchange(clients.port(service), "abc\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void clientAcceptsAGoodStaple() {
        int mark = clients.mark();
        assertEquals("abc\n", new String(through("c-good").receivedPrefix(), StandardCharsets.US_ASCII));
        ConnectionLog log = Conns.awaitEnded(clients, mark, "c-good");
        log.requireInOrder(Pattern.compile("OCSP: OCSP stapling response received"), Pattern.compile("OCSP: Status: good"),
                Pattern.compile("OCSP: Certificate accepted"), Pattern.compile("OCSP: Accepted \\(good\\)"),
                StunnelLog.TLS_CONNECTED);
    }

    @Test
    void clientRefusesARevokedStaple() {
        int mark = clients.mark();
        assertEquals(0, through("c-revoked").received().count());
        ConnectionLog log = Conns.awaitEnded(clients, mark, "c-revoked");
        log.requireInOrder(Pattern.compile("OCSP: OCSP stapling response received"),
                Pattern.compile("OCSP: Certificate revoked: 1: keyCompromise"), Pattern.compile("OCSP: Rejected \\(revoked\\)"));
        log.requireAbsent(StunnelLog.TLS_CONNECTED);
        // the server learns why: OpenSSL's alert for a status callback that refused
        servers.awaitLog(0, Pattern.compile(".*tlsv1 bad certificate status response: SSL alert number 113"), 1);
    }

    @Test
    void noStapleAndNoResponderToAskIsAccepted() {
        int mark = clients.mark();
        assertEquals("abc\n", new String(through("c-dead-nothing-to-ask").receivedPrefix(), StandardCharsets.US_ASCII));
        ConnectionLog log = Conns.awaitEnded(clients, mark, "c-dead-nothing-to-ask");
        log.require(Pattern.compile("OCSP: No OCSP stapling response received"));
        log.require(StunnelLog.TLS_CONNECTED);
    }

    @Test
    void ocspRequireDecidesWhenTheResponderIsDown() {
        int mark = clients.mark();
        assertEquals(0, through("c-dead-require").received().count());
        ConnectionLog log = Conns.awaitEnded(clients, mark, "c-dead-require");
        log.requireInOrder(Pattern.compile("OCSP: No OCSP stapling response received"),
                Pattern.compile("OCSP: Connecting the AIA responder \".*\""), Pattern.compile("OCSP: Rejected \\(OCSPrequire = yes\\)"));
        log.requireAbsent(StunnelLog.TLS_CONNECTED);

        mark = clients.mark();
        assertEquals("abc\n", new String(through("c-dead-norequire").receivedPrefix(), StandardCharsets.US_ASCII));
        log = Conns.awaitEnded(clients, mark, "c-dead-norequire");
        log.requireInOrder(Pattern.compile("OCSP: No OCSP stapling response received"),
                Pattern.compile("OCSP: Connecting the AIA responder \".*\""), Pattern.compile("OCSP: Accepted \\(OCSPrequire = no\\)"),
                StunnelLog.TLS_CONNECTED);
    }

    /** stunnel4 5.68 staples nothing: a jstunnel client falls back to the AIA responder (5.75's order). */
    @Test
    void stunnel4ServerWithoutStaplesFallsBackToTheResponder() {
        StunnelConfig sc = new StunnelConfig();
        sc.service("good", s -> s.accept("127.0.0.1:0").connect(echo.port()).set("cert", good.chainFile())
                .set("key", good.keyFile()));
        sc.service("revoked", s -> s.accept("127.0.0.1:0").connect(echo.port()).set("cert", revoked.chainFile())
                .set("key", revoked.keyFile()));
        TunnelProcess peer = res.add(Stunnel4Process.start(dir.resolve("stunnel4-server"), "stunnel4-server", sc));
        StunnelConfig c = new StunnelConfig().global("debug", "info");
        for (String name : List.of("good", "revoked")) {
            c.service(name, s -> s.client().accept("127.0.0.1:0").connect(peer.port(name)).set("CAfile", pki.rootFile())
                    .set("verifyChain", "yes").set("checkHost", "localhost").set("OCSPaia", "yes"));
        }
        TunnelProcess client = res.add(TunnelProcess.start(dir.resolve("client-of-stunnel4"), "jstunnel-client", c));
        int mark = client.mark();
        Exchange ok = PlainClient.exchange(client.port("good"), "abc\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("abc\n", new String(ok.receivedPrefix(), StandardCharsets.US_ASCII));
        Conns.awaitEnded(client, mark, "good").requireInOrder(Pattern.compile("OCSP: No OCSP stapling response received"),
                Pattern.compile("OCSP: Connecting the AIA responder \".*\""), Pattern.compile("OCSP: Accepted \\(good\\)"));
        mark = client.mark();
        assertEquals(0, PlainClient.exchange(client.port("revoked"), "abc\n".getBytes(StandardCharsets.US_ASCII))
                .received().count());
        Conns.awaitEnded(client, mark, "revoked").require(Pattern.compile("OCSP: Rejected \\(revoked\\)"));
    }

    /** stunnel4 5.68 as the client of a stapling jstunnel server: it asks its AIA responder itself. */
    @Test
    void stunnel4ClientOfAStaplingServer() {
        StunnelConfig c = new StunnelConfig().global("debug", "info");
        c.service("good", s -> s.client().accept("127.0.0.1:0").connect(servers.port("good")).set("CAfile", pki.rootFile())
                .set("verifyChain", "yes").set("checkHost", "localhost").set("OCSPaia", "yes"));
        TunnelProcess peer = res.add(Stunnel4Process.start(dir.resolve("stunnel4-client"), "stunnel4-client", c));
        Exchange ok = PlainClient.exchange(peer.port("good"), "abc\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("abc\n", new String(ok.receivedPrefix(), StandardCharsets.US_ASCII));
        peer.awaitLog(0, Pattern.compile("OCSP: Certificate accepted"), 1);
    }
}
