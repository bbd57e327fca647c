package org.jstunnel.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.jstunnel.hsm.support.HsmFixture;
import org.jstunnel.hsm.support.HsmTestSupport;
import org.jstunnel.hsm.support.JsseClient;
import org.jstunnel.hsm.support.RoundTripProbe;
import org.jstunnel.hsm.support.STimeLoad;
import org.jstunnel.hsm.support.TokenShim;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * A slow or hung token must cost only the handshakes that need it (issue 10). The manual's engine
 * configuration (libp11) loads the project's fault-injecting module in front of SoftHSM2; the same
 * process serves a service with the EC key on the token and one with a file key, and a bystander
 * connection through the file-key service echoes 32 bytes every 10 ms while many clients handshake
 * with the token service.
 */
class HsmSlowTokenTest extends HsmTestSupport {
    private static final int CLIENTS = 64;
    private static final Duration RUN = Duration.ofSeconds(8);

    private TokenShim shim;
    private EchoBackend echo;

    private TunnelProcess start(Path binary, StunnelConfig extra) {
        echo = res.add(new EchoBackend());
        StunnelConfig config = extra
                .service("token", s -> s.accept("127.0.0.1:0").connect(echo.port()).set("engineId", "pkcs11")
                        .set("cert", hsm.ecServerCert()).set("key", hsm.token().uri(HsmFixture.EC)))
                .service("file", s -> s.accept("127.0.0.1:0").connect(echo.port()).identity(hsm.pki().server()));
        return res.add(TunnelProcess.launch(binary, dir, binary.getFileName().toString(), config).awaitReady());
    }

    private Path jstunnel() {
        return shim.env(hsm.hsm().env()).wrap(dir, "jstunnel-shim", Binaries.underTest());
    }

    /**
     * Signatures slow enough (400 ms) that the token, not this shared machine's CPU, bounds the rate:
     * 24 clients keep every runner signing. Were signing on the carriers, two signatures would be in
     * flight and every connection would wait for them.
     */
    @Test
    void aSlowTokenSignsOnAllRunnersAndNeverStallsOtherConnections() throws Exception {
        shim = TokenShim.in(dir);
        shim.set("latency_ms=400");
        TunnelProcess server = start(jstunnel(), shim.engineConfig());
        server.awaitLog(Pattern.compile("Private key on token \"" + HsmFixture.TOKEN
                + "\": signing on up to 16 key runner thread\\(s\\), deadline 10000 ms"));
        Measured m = measure(server, 24);
        System.out.printf("[hsm] jstunnel, 400 ms token, 24 s_time clients, %.0f s: %d handshakes (%.1f/s); signatures "
                + "in flight at most %d; bystander round trip p50 %.1f ms, p99 %.1f ms (%d round trips; before the "
                + "load p99 %.1f ms)%n", m.load().seconds(), m.load().handshakes(), m.load().perSecond(), m.inFlight(),
                m.bystander().millis(0.5), m.bystander().millis(0.99), m.bystander().count(), m.baseline().millis(0.99));
        assertEquals(List.of(), m.load().trouble(), "s_time failed");
        assertEquals(16, m.inFlight(), "signatures in flight reach the key runner pool's size (pkcs11Sessions = 16)");
        assertTrue(m.load().perSecond() > 2 / 0.4 * 3, "more than two signatures at a time: " + m.load().perSecond());
        // signing on the carriers would block both of them nearly all the time (p50 in the hundreds of ms);
        // the p99 is printed, not asserted: on this shared 2-core machine it follows the machine's load and
        // the handshakes' CPU bursts on the carriers (see docs/hsm.md), not the token
        assertTrue(m.bystander().millis(0.5) < 50, "bystander p50 " + m.bystander().millis(0.5) + " ms");
        assertTrue(server.findLog(Pattern.compile("SSL_accept: .*")).isEmpty(), "no handshake error in the log");
    }

    /**
     * The same load and bystander against stunnel 5.68 on the same token and shim: its libp11 signs
     * inside the handshake on the connection's own thread (one thread per connection).
     */
    @Test
    void sideBySideWithStunnel4() throws Exception {
        shim = TokenShim.in(dir);
        shim.set("latency_ms=50");
        Measured ours;
        try (TunnelProcess server = start(jstunnel(), shim.engineConfig())) {
            ours = measure(server, CLIENTS);
        }
        shim = TokenShim.in(dir.resolve("stunnel4"));
        java.nio.file.Files.createDirectories(dir.resolve("stunnel4"));
        shim.set("latency_ms=50");
        Measured theirs;
        try (TunnelProcess server = start(shim.env(hsm.hsm().env()).wrap(dir, "stunnel4-shim", Binaries.stunnel4()),
                shim.engineConfig())) {
            theirs = measure(server, CLIENTS);
        }
        for (var e : java.util.Map.of("jstunnel", ours, "stunnel4", theirs).entrySet()) {
            Measured m = e.getValue();
            System.out.printf("[hsm] side by side, %s, 50 ms token, %d clients: %.1f handshakes/s, signatures in "
                    + "flight at most %d, bystander p50 %.1f ms p99 %.1f ms%n", e.getKey(), CLIENTS,
                    m.load().perSecond(), m.inFlight(), m.bystander().millis(0.5), m.bystander().millis(0.99));
        }
        assertTrue(ours.load().perSecond() >= theirs.load().perSecond() * 0.9, "handshake rate below stunnel's");
    }

    record Measured(STimeLoad.Result load, long inFlight, RoundTripProbe.Window bystander,
            RoundTripProbe.Window baseline) {}

    /** The load on the token service while the bystander echoes through the file-key service (and 1 s before). */
    private Measured measure(TunnelProcess server, int clients) throws Exception {
        try (RoundTripProbe probe = RoundTripProbe.start(server.port("file"), hsm.caFile())) {
            Thread.sleep(300);
            long b0 = System.nanoTime();
            Thread.sleep(1000);
            long t0 = System.nanoTime();
            STimeLoad.Result r = STimeLoad.run(server.port("token"), clients, RUN);
            long t1 = System.nanoTime();
            return new Measured(r, shim.stats().getOrDefault("max_in_flight", 0L), probe.window(t0, t1),
                    probe.window(b0, t0));
        }
    }

    @Test
    void aHungTokenFailsItsHandshakesByDeadlineAndRecoversWhenItReturns() throws Exception {
        shim = TokenShim.in(dir);
        TunnelProcess server = start(jstunnel(), shim.engineConfig().global("pkcs11Timeout", "1000"));
        JsseClient jsse = JsseClient.trusting(hsm.caFile());
        handshakeAndEcho(jsse, server.port("token")); // the token works
        try (RoundTripProbe probe = RoundTripProbe.start(server.port("file"), hsm.caFile())) {
            Thread.sleep(1300);
            RoundTripProbe.Window before = probe.window(System.nanoTime() - 1_000_000_000L, System.nanoTime());
            shim.set("hang=1");
            // more handshakes at once than the token has runners: each fails by its deadline
            int n = 24;
            List<Thread> threads = new ArrayList<>();
            ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    long s = System.nanoTime();
                    try {
                        handshakeAndEcho(jsse, server.port("token"));
                        outcomes.add("succeeded");
                    } catch (SSLException e) {
                        outcomes.add("failed after " + (System.nanoTime() - s) / 1_000_000 + " ms: " + e.getMessage());
                    } catch (IOException e) {
                        outcomes.add("io " + e);
                    }
                }));
            }
            // meanwhile, file-key handshakes go through at once
            long fileMax = 0;
            Thread.sleep(600); // the 24 clients have sent their ClientHellos; the token hangs on
            for (int i = 0; i < 5; i++) {
                long s = System.nanoTime();
                handshakeAndEcho(jsse, server.port("file"));
                fileMax = Math.max(fileMax, (System.nanoTime() - s) / 1_000_000);
            }
            for (Thread t : threads) assertTrue(t.join(Duration.ofSeconds(20)), "a token handshake never ended");
            // the bystander from when the clients' own burst (24 TLS clients starting in this JVM) is over,
            // through the deadline (all 24 handshakes fail at once) to the end
            long allFailedMs = (System.nanoTime() - t0) / 1_000_000;
            RoundTripProbe.Window w = probe.window(t0 + 600_000_000L, System.nanoTime());
            double p99 = w.millis(0.99);
            System.out.printf("[hsm] hung token, deadline 1000 ms: %d handshakes all ended in %d ms; file-key "
                    + "handshakes meanwhile took at most %d ms; bystander p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d round trips; before the hang p99 %.1f ms)%n",
                    n, allFailedMs, fileMax, w.millis(0.5), p99, w.millis(1), w.count(), before.millis(0.99));
            for (String o : outcomes) assertTrue(o.startsWith("failed after"), o);
            assertEquals(n, outcomes.size());
            assertTrue(allFailedMs < 4000, "handshakes failed by their deadline: " + allFailedMs + " ms");
            assertTrue(fileMax < 1000, "file-key handshake took " + fileMax + " ms");
            // a hung token on the carriers would stop every connection for the whole hang; the p99 is printed,
            // not asserted (it follows this shared machine's load; see docs/hsm.md)
            assertTrue(w.millis(0.5) < 50, "bystander p50 " + w.millis(0.5) + " ms");
            assertTrue(w.millis(1) < 1000, "bystander stalled " + w.millis(1) + " ms");
            server.awaitLog(Pattern.compile("SSL_accept: private key operation on token \"" + HsmFixture.TOKEN
                    + "\" missed its deadline \\(1000 ms\\)"));
            // the token comes back: handshakes succeed again by themselves, no restart
            shim.set("");
            long back = System.nanoTime();
            long recovered = -1;
            for (int i = 0; i < 50 && recovered < 0; i++) {
                try {
                    handshakeAndEcho(jsse, server.port("token"));
                    recovered = (System.nanoTime() - back) / 1_000_000;
                } catch (IOException e) {
                    Thread.sleep(20);
                }
            }
            System.out.printf("[hsm] token back: first handshake succeeded %d ms after the hang ended%n", recovered);
            assertTrue(recovered >= 0 && recovered < 1000, "recovered after " + recovered + " ms");
        }
        assertTrue(server.process().isAlive());
    }

    /**
     * Client mode, the client certificate's key on the token: a hung token fails the client's
     * handshake by its deadline (the server asked for a certificate), and it works again once the
     * token is back.
     */
    @Test
    void aHungTokenFailsClientHandshakesByDeadline() throws Exception {
        shim = TokenShim.in(dir);
        echo = res.add(new EchoBackend());
        TunnelProcess server = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "jstunnel-server",
                new StunnelConfig().global("debug", "info").service("mtls", s -> s.accept("127.0.0.1:0")
                        .connect(echo.port()).identity(hsm.pki().server()).set("CAfile", hsm.caFile())
                        .set("verifyChain", "yes").set("requireCert", "yes"))).awaitReady());
        TunnelProcess client = res.add(TunnelProcess.launch(jstunnel(), dir, "jstunnel-client",
                shim.engineConfig().global("pkcs11Timeout", "1000").service("client", s -> s.client()
                        .accept("127.0.0.1:0").connect(server.port("mtls")).set("CAfile", hsm.caFile())
                        .set("verifyChain", "yes").set("checkHost", "localhost").set("engineId", "pkcs11")
                        .set("cert", hsm.ecClientCert()).set("key", hsm.token().uri(HsmFixture.EC_CLIENT))
                        .set("sessionResume", "no"))).awaitReady());
        assertTrue(plainEcho(client.port("client")), "client certificate on the token");
        shim.set("hang=1");
        long t0 = System.nanoTime();
        assertTrue(!plainEcho(client.port("client")), "a handshake that needs the hung token");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        client.awaitLog(Pattern.compile("SSL_connect: private key operation on token \"" + HsmFixture.TOKEN
                + "\" missed its deadline \\(1000 ms\\)"));
        System.out.printf("[hsm] client mode, hung token: the handshake failed after %d ms%n", ms);
        assertTrue(ms < 5000, "failed after " + ms + " ms");
        shim.set("");
        boolean back = false;
        for (int i = 0; i < 50 && !back; i++) back = plainEcho(client.port("client"));
        assertTrue(back, "client handshakes work again");
        assertTrue(client.process().isAlive());
    }

    /** A plain connection through a client-mode service: true when the bytes came back. */
    private static boolean plainEcho(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("ping\n".getBytes());
            return s.getInputStream().readNBytes(5).length == 5;
        } catch (IOException e) {
            return false;
        }
    }

    private static void handshakeAndEcho(JsseClient jsse, int port) throws IOException {
        try (Socket s = jsse.connect(port, "TLSv1.3")) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("ping\n".getBytes());
            out.flush();
            InputStream in = s.getInputStream();
            byte[] got = in.readNBytes(5);
            if (got.length != 5) throw new IOException("short echo");
        }
    }

}
