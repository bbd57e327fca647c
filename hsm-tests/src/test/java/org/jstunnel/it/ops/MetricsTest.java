package org.jstunnel.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Curl;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.HttpBackend;
import org.jstunnel.it.support.LogLine;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.CaPki;
import org.jstunnel.it.tls.support.SClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener ({@code adminListen}, a jstunnel extension): Prometheus metrics scraped while
 * real clients (curl, openssl s_client) load the tunnel, each figure checked against what the test
 * did and against the tunnel's own closing lines; {@code /live} and {@code /ready}, which turns 503
 * while a reloaded service cannot bind; the same over a Unix socket.
 */
class MetricsTest {
    private static final int CURLS = 24;
    private static final int PARALLEL = 4;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path pkiDir;
    static CaPki pki;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final Resources res = new Resources();

    @BeforeAll
    static void pki() {
        pki = CaPki.create(pkiDir);
    }

    private StunnelConfig config(int admin, int web, int echo, int dead) {
        return new StunnelConfig().global("adminListen", "127.0.0.1:" + admin)
                .service("web", s -> s.accept("127.0.0.1:0").connect(web)
                        .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()))
                .service("echo", s -> s.accept("127.0.0.1:0").connect(echo)
                        .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()))
                .service("dead", s -> s.accept("127.0.0.1:0").connect(dead)
                        .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()));
    }

    @Test
    void metricsFollowALoadOfRealClients() throws Exception {
        HttpBackend web = res.add(new HttpBackend());
        EchoBackend echo = res.add(new EchoBackend());
        int dead = Ports.freeLoopbackPort(); // nothing listens there
        int admin = Ports.freeLoopbackPort();
        TunnelProcess t = res.add(TunnelProcess.start(dir, "jstunnel", config(admin, web.port(), echo.port(), dead)));
        t.awaitLog(Pattern.compile("Admin listener \\(/metrics, /live, /ready\\) bound to 127\\.0\\.0\\.1:" + admin));

        AdminScrape before = AdminScrape.tcp(admin, "/metrics");
        assertEquals(200, before.status(), before.body());
        assertEquals(0, before.count("jstunnel_connections_total"), before.body());

        // the load: CURLS curl runs, PARALLEL at a time, scraped all along
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        List<Future<ManagedProcess>> runs = new ArrayList<>();
        int webPort = t.port("web");
        for (int i = 0; i < CURLS; i++) {
            int n = i;
            runs.add(pool.submit(() -> Curl.run(dir, "curl-" + n, webPort, pki.rootFile(), List.of("-o", "/dev/null", Curl.url(webPort, "/payload/" + (1000 * (n + 1)))))));
        }
        pool.shutdown();
        int scrapes = 0;
        long seen = 0;
        Deadline d = Deadline.after(Timeouts.TRANSFER);
        while (!pool.isTerminated() && !d.expired() && scrapes < 200) {
            AdminScrape during = AdminScrape.tcp(admin, "/metrics");
            assertEquals(200, during.status());
            long now = during.count("jstunnel_connections_total");
            assertTrue(now >= seen && now <= CURLS, "a counter only grows, up to what the test did: " + seen + " -> " + now);
            seen = now;
            scrapes++;
        }
        for (Future<ManagedProcess> r : runs) {
            ManagedProcess p = r.get();
            assertEquals(0, p.exitCode(Timeouts.PEER_EXIT), p.describe() + "\n" + p.stderr());
            assertTrue(p.stdout().endsWith("200 0 1\n"), p.stdout());
        }
        assertTrue(scrapes > 0, "scraped while the load ran");

        // one full handshake and two resumed ones (TLS 1.2 session ids/tickets, s_client -sess_out/-sess_in)
        int echoPort = t.port("echo");
        Path sess = dir.resolve("session.pem");
        List<String> tls12 = List.of("-tls1_2", "-CAfile", pki.rootFile().toString());
        SClient first = SClient.run(dir.resolve("clients"), echoPort, with(tls12, "-sess_out", sess.toString()),
                "ping\n", Duration.ofMillis(800), "ping");
        assertEquals("New", first.session(), first.toString());
        for (int i = 0; i < 2; i++) {
            SClient again = SClient.run(dir.resolve("clients"), echoPort, with(tls12, "-sess_in", sess.toString()),
                    "ping\n", Duration.ofMillis(800), "ping");
            assertEquals("Reused", again.session(), again.toString());
        }
        // three failed handshakes: the client does not trust the server (alert unknown ca)
        Path otherCa = pki.untrusted.certFile();
        for (int i = 0; i < 3; i++) {
            SClient bad = SClient.run(dir.resolve("clients"), echoPort,
                    List.of("-tls1_2", "-CAfile", otherCa.toString(), "-verify_return_error"), "", Duration.ofMillis(300));
            assertTrue(bad.session() == null || bad.exitCode() != 0, bad.toString());
        }
        // two connections whose backend refuses
        for (int i = 0; i < 2; i++) {
            SClient.run(dir.resolve("clients"), t.port("dead"), tls12, "", Duration.ofMillis(300));
        }

        int total = CURLS + 3 + 3 + 2;
        awaitEnded(t, total);
        AdminScrape m = awaitScrape(admin, s -> s.count("jstunnel_connections_active") == 0
                && s.count("jstunnel_connections_ended_total") == total);
        String all = m.body();
        assertEquals(CURLS, m.count("jstunnel_connections_total", "service=\"web\""), all);
        assertEquals(6, m.count("jstunnel_connections_total", "service=\"echo\""), all);
        assertEquals(2, m.count("jstunnel_connections_total", "service=\"dead\""), all);
        assertEquals(CURLS, m.count("jstunnel_connections_ended_total", "service=\"web\"", "how=\"closed\""), all);
        assertEquals(CURLS, m.count("jstunnel_handshakes_total", "service=\"web\"", "session=\"full\""), all);
        assertEquals(1, m.count("jstunnel_handshakes_total", "service=\"echo\"", "session=\"full\""), all);
        assertEquals(2, m.count("jstunnel_handshakes_total", "service=\"echo\"", "session=\"resumed\""), all);
        assertEquals(3, m.count("jstunnel_handshake_failures_total", "service=\"echo\"",
                "reason=\"tlsv1_alert_unknown_ca\""), all);
        assertEquals(3, m.count("jstunnel_connections_ended_total", "service=\"echo\"", "how=\"handshake_failed\""), all);
        assertEquals(2, m.count("jstunnel_backend_connect_failures_total", "service=\"dead\""), all);
        assertEquals(2, m.count("jstunnel_connections_ended_total", "service=\"dead\"", "how=\"connect_failed\""), all);
        // latency histograms: one observation per completed handshake
        assertEquals(CURLS + 1 + 2, m.count("jstunnel_handshake_duration_seconds_count", "session=\"full\""), all);
        assertEquals(2, m.count("jstunnel_handshake_duration_seconds_count", "session=\"resumed\""), all);
        assertEquals(CURLS + 1 + 2 + 2, m.count("jstunnel_handshake_duration_seconds_bucket", "le=\"+Inf\""), all);
        // bytes each way: the sum of the tunnel's own closing lines, and the echo's 3 x "ping\n" both ways
        long toTls = 0, toSocket = 0;
        for (LogLine l : t.log()) {
            Matcher c = StunnelLog.CONNECTION_END.matcher(l.text());
            if (c.find()) {
                toTls += Long.parseLong(c.group(2));
                toSocket += Long.parseLong(c.group(3));
            }
        }
        assertEquals(toTls, m.count("jstunnel_transferred_bytes_total", "direction=\"to_tls\""), all);
        assertEquals(toSocket, m.count("jstunnel_transferred_bytes_total", "direction=\"to_socket\""), all);
        assertEquals(15, m.count("jstunnel_transferred_bytes_total", "service=\"echo\"", "direction=\"to_socket\""), all);
        assertEquals(15, m.count("jstunnel_transferred_bytes_total", "service=\"echo\"", "direction=\"to_tls\""), all);
        assertTrue(m.count("jstunnel_transferred_bytes_total", "service=\"web\"", "direction=\"to_tls\"") > 1000L * CURLS * (CURLS + 1) / 2, all); // the payloads
    }

    @Test
    void readyTurnsUnavailableWhileAServiceCannotBind() throws IOException {
        EchoBackend echo = res.add(new EchoBackend());
        int admin = Ports.freeLoopbackPort();
        StunnelConfig c = new StunnelConfig().global("adminListen", String.valueOf(admin))
                .service("echo", s -> s.accept("127.0.0.1:0").connect(echo.port())
                        .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()));
        TunnelProcess t = res.add(TunnelProcess.start(dir, "jstunnel", c));
        assertEquals(new AdminScrape(200, "live\n"), AdminScrape.tcp(admin, "/live"));
        assertEquals(new AdminScrape(200, "ready\n"), AdminScrape.tcp(admin, "/ready"));
        assertEquals(404, AdminScrape.tcp(admin, "/nothing").status());

        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(Ports.LOOPBACK, 0));
            StunnelConfig blocked = c.copy().service("blocked", s -> s.accept("127.0.0.1:" + taken.getLocalPort())
                    .connect(echo.port()).set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()));
            int mark = t.reload(blocked);
            t.awaitLog(mark, StunnelLog.RELOAD_FAILED, 1);
            AdminScrape ready = AdminScrape.tcp(admin, "/ready");
            assertEquals(503, ready.status(), ready.body());
            assertEquals("not ready\nservice [blocked] not bound\n", ready.body());
            assertEquals(200, AdminScrape.tcp(admin, "/live").status());
        }
        int mark = t.reload(c);
        t.awaitLog(mark, StunnelLog.CONFIGURATION_SUCCESSFUL, 1);
        assertEquals(new AdminScrape(200, "ready\n"), AdminScrape.tcp(admin, "/ready"));
        // still serving
        SClient ok = SClient.run(dir.resolve("clients"), t.port("echo"), List.of("-CAfile", pki.rootFile().toString()),
                "ping\n", Duration.ofMillis(800), "ping");
        assertNotNull(ok.session(), ok.toString());
    }

    @Test
    void unixSocketServesTheSameAnswers() {
        EchoBackend echo = res.add(new EchoBackend());
        Path sock = dir.resolve("admin.sock");
        StunnelConfig c = new StunnelConfig().global("adminListen", sock.toString())
                .service("echo", s -> s.accept("127.0.0.1:0").connect(echo.port())
                        .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()));
        TunnelProcess t = res.add(TunnelProcess.start(dir, "jstunnel", c));
        SClient ok = SClient.run(dir.resolve("clients"), t.port("echo"), List.of("-CAfile", pki.rootFile().toString()),
                "ping\n", Duration.ofMillis(800), "ping");
        assertNotNull(ok.session(), ok.toString());
        awaitEnded(t, 1);
        AdminScrape m = AdminScrape.unix(sock, "/metrics");
        assertEquals(200, m.status(), m.body());
        assertEquals(1, m.count("jstunnel_connections_total", "service=\"echo\""), m.body());
        assertTrue(m.body().contains("# TYPE jstunnel_handshake_duration_seconds histogram"), m.body());
        assertEquals(new AdminScrape(200, "ready\n"), AdminScrape.unix(sock, "/ready"));
        assertEquals(new AdminScrape(200, "live\n"), AdminScrape.unix(sock, "/live"));
        assertEquals(0, t.stop());
        assertTrue(!java.nio.file.Files.exists(sock), "the socket file is removed at exit");
    }

    @Test
    void offByDefault() {
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig c = new StunnelConfig().service("echo", s -> s.accept("127.0.0.1:0").connect(echo.port())
                .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()));
        TunnelProcess t = res.add(TunnelProcess.start(dir, "jstunnel", c));
        assertTrue(t.findLog(Pattern.compile("Admin listener")).isEmpty(), "no admin listener unless configured");
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> l = new ArrayList<>(base);
        l.addAll(List.of(more));
        return l;
    }

    private static void awaitEnded(TunnelProcess t, int n) {
        t.awaitLog(0, StunnelLog.CONNECTION_END, n);
    }

    private static AdminScrape awaitScrape(int admin, java.util.function.Predicate<AdminScrape> done) {
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (true) {
            AdminScrape s = AdminScrape.tcp(admin, "/metrics");
            if (done.test(s) || d.expired()) return s;
            d.pause();
        }
    }
}
