package org.jstunnel.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.jstunnel.hsm.support.HsmFixture;
import org.jstunnel.hsm.support.HsmTestSupport;
import org.jstunnel.hsm.support.JsseClient;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * Many handshakes at once for a bounded time, every one signing on the token: RSA and EC server keys
 * (JSSE clients), and an HSM client key (a client-mode service of the same process handshaking with
 * a server-mode service that requires a client certificate). No handshake may fail, the process must
 * stay up, and the handshake rates are printed (SoftHSM2 on this machine: see the report line).
 */
class HsmConcurrencyTest extends HsmTestSupport {
    /** Concurrent clients per target, and how long they run. */
    private static final int CLIENTS = 8;
    private static final Duration RUN = Duration.ofSeconds(6);

    @Test
    void parallelHandshakesOnTheTokenNeverFail() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig config = hsm.engineConfig().global("debug", "info")
                .service("rsa", s -> s.accept("127.0.0.1:0").connect(echo.port()).set("engineId", "pkcs11")
                        .set("cert", hsm.token().uri(HsmFixture.RSA)))
                .service("ec", s -> s.accept("127.0.0.1:0").connect(echo.port()).set("engineNum", 1)
                        .set("cert", hsm.ecServerCert()).set("key", hsm.token().uri(HsmFixture.EC)))
                // mutual TLS inside one process: client key on the token, server key in a file
                .service("mtls-server", s -> s.accept("127.0.0.1:0").connect(echo.port()).identity(hsm.pki().server())
                        .set("CAfile", hsm.caFile()).set("verifyChain", "yes").set("requireCert", "yes"));
        TunnelProcess server = res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel", config).awaitReady());
        StunnelConfig clientConfig = hsm.engineConfig().global("debug", "info")
                .service("mtls-client", s -> s.client().accept("127.0.0.1:0").connect(server.port("mtls-server"))
                        .set("CAfile", hsm.caFile()).set("verifyChain", "yes").set("checkHost", "localhost")
                        .set("engineId", "pkcs11").set("cert", hsm.ecClientCert())
                        .set("key", hsm.token().uri(HsmFixture.EC_CLIENT))
                        // like stunnel, a client resumes its last session: full handshakes only
                        .set("sessionResume", "no"));
        TunnelProcess client = res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel-client", clientConfig)
                .awaitReady());

        Map<String, AtomicLong> done = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        JsseClient jsse = JsseClient.trusting(hsm.caFile());
        long end = System.nanoTime() + RUN.toNanos();
        record Target(String name, int port, String protocol) { }
        List<Target> targets = List.of(new Target("rsa", server.port("rsa"), "TLSv1.3"),
                new Target("rsa", server.port("rsa"), "TLSv1.2"), new Target("ec", server.port("ec"), "TLSv1.3"),
                new Target("mtls", client.port("mtls-client"), null));
        for (Target t : targets) {
            done.putIfAbsent(t.name(), new AtomicLong());
            for (int i = 0; i < CLIENTS / 2; i++) {
                int n = i;
                threads.add(Thread.ofPlatform().name(t.name() + "-" + i).start(() -> {
                    byte[] msg = ("hello " + t.name() + " " + n + "\n").getBytes();
                    while (System.nanoTime() < end && failures.size() < 10) {
                        try (Socket s = t.protocol() == null ? PlainClient.connect(t.port())
                                : jsse.connect(t.port(), t.protocol())) {
                            OutputStream out = s.getOutputStream();
                            out.write(msg);
                            out.flush();
                            byte[] got = new byte[msg.length];
                            InputStream in = s.getInputStream();
                            int off = 0;
                            while (off < got.length) {
                                int r = in.read(got, off, got.length - off);
                                if (r < 0) throw new IOException("EOF after " + off + " bytes");
                                off += r;
                            }
                            if (!Arrays.equals(msg, got)) throw new IOException("echo mismatch");
                            done.get(t.name()).incrementAndGet();
                        } catch (Exception | AssertionError e) {
                            failures.add(t.name() + "/" + t.protocol() + ": " + e);
                        }
                    }
                }));
            }
        }
        for (Thread th : threads) {
            assertTrue(th.join(RUN.plus(Duration.ofSeconds(60))), "client thread " + th.getName() + " did not finish");
        }
        double secs = RUN.toMillis() / 1000.0;
        System.out.printf("[hsm] SoftHSM2 handshakes in %.0f s, %d clients per target (RSA: a TLS 1.3 and a TLS 1.2 target): RSA-2048 %d (%.0f/s), "
                + "EC P-256 %d (%.0f/s), mutual TLS with EC client key %d (%.0f/s)%n", secs, CLIENTS / 2,
                done.get("rsa").get(), done.get("rsa").get() / secs, done.get("ec").get(), done.get("ec").get() / secs,
                done.get("mtls").get(), done.get("mtls").get() / secs);
        assertEquals(List.of(), List.copyOf(failures), "failed handshakes");
        for (String name : List.of("rsa", "ec", "mtls")) {
            assertTrue(done.get(name).get() >= 10, name + ": only " + done.get(name).get() + " handshakes");
        }
        assertTrue(server.process().isAlive() && client.process().isAlive());
        assertTrue(server.findLog(Pattern.compile("SSL_accept: .*")).isEmpty(), "no handshake error in the server log");
        // every handshake was a full one: the token signed each time
        assertTrue(server.findLog(Pattern.compile("TLS accepted: previous session reused")).isEmpty(), "a session was resumed");
        assertTrue(client.findLog(Pattern.compile("TLS connected: previous session reused")).isEmpty(), "a session was resumed");
    }
}
