package org.jstunnel.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TlsClient;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.CaPki;
import org.jstunnel.it.tls.support.SClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14's operations across nodes, with Debian's HAProxy in TCP mode in front of two jstunnel
 * instances on loopback: inbound PROXY v1/v2 ({@code acceptProxy}, {@code acceptProxyFrom}) puts the
 * real client in the log lines and in an outbound {@code protocol = proxy} header; a session resumes on
 * the other instance (shared {@code ticketKeyFile}); a rolling restart ({@code reusePort}: a new process
 * takes the port, the old one drains with {@code drainTimeout}) under load loses no exchange. The client
 * connects from 127.0.0.2 and HAProxy from 127.0.0.1, so the log shows whose address jstunnel believed.
 */
class BalancerTest {
    private static final String SERVICE = "tls";
    private static final String CLIENT_HOST = "127.0.0.2";

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

    private Path keyFile() throws IOException {
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            byte[] k = new byte[80];
            r.nextBytes(k);
            b.append(Base64.getEncoder().encodeToString(k)).append('\n');
        }
        Path f = dir.resolve("tickets.keys");
        Files.writeString(f, b.toString());
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private TunnelProcess jstunnel(String label, int connectPort, String accept, Consumer<StunnelConfig.Section> extra,
            Consumer<StunnelConfig> global) {
        StunnelConfig c = new StunnelConfig().service(SERVICE, s -> {
            s.accept(accept).connect(connectPort).set("cert", pki.server.chainFile()).set("key", pki.server.keyFile());
            extra.accept(s);
        });
        global.accept(c);
        return res.add(TunnelProcess.launch(Binaries.underTest(), dir, label, c).awaitReady());
    }

    /** HAProxy in TCP mode, round robin over {@code backends}, each with {@code sendProxy} (send-proxy or send-proxy-v2). */
    private int haproxy(String sendProxy, int... backends) throws IOException {
        int port = Ports.freeLoopbackPort();
        StringBuilder cfg = new StringBuilder();
        cfg.append("global\n  maxconn 512\n")
           .append("defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 20s\n  timeout server 20s\n")
           .append("  retries 3\n  option redispatch\n")
           .append("frontend fe\n  bind 127.0.0.1:").append(port).append("\n  default_backend be\n")
           .append("backend be\n  balance roundrobin\n");
        for (int i = 0; i < backends.length; i++)
            cfg.append("  server n").append(i).append(" 127.0.0.1:").append(backends[i]).append(' ').append(sendProxy).append('\n');
        Path f = dir.resolve("haproxy.cfg");
        Files.writeString(f, cfg.toString());
        ManagedProcess p = res.add(ManagedProcess.start("haproxy", dir, List.of("haproxy", "-db", "-f", f.toString()), false));
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) { // bounded: until the frontend accepts
            try (Socket s = new Socket()) {
                // from 127.0.0.3: HAProxy passes the probe on, and the instance logs that address
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
                s.connect(new InetSocketAddress(Ports.LOOPBACK, port), 200);
                return port;
            } catch (IOException notYet) {
                if (!p.isAlive()) break;
                sleep(100);
            }
        }
        throw new AssertionError("haproxy did not start\n" + p.diagnostics());
    }

    /** One exchange through the balancer from 127.0.0.2: two lines written 50 ms apart, both echoed. */
    private static String exchange(int port, String tag) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(InetAddress.getByName(CLIENT_HOST), 0));
        plain.connect(new InetSocketAddress(Ports.LOOPBACK, port), 5000);
        plain.setSoTimeout(10_000);
        try (plain; SSLSocket tls = TlsClient.over(plain, pki.rootFile(), "TLSv1.3")) {
            OutputStream out = tls.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
            out.write((tag + " one\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String first = in.readLine();
            sleep(50);
            out.write((tag + " two\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return first + "|" + in.readLine();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"send-proxy", "send-proxy-v2"})
    void theClientsAddressAndResumptionAcrossTwoInstances(String sendProxy) throws IOException {
        EchoBackend echo = res.add(new EchoBackend());
        Path keys = keyFile();
        Consumer<StunnelConfig.Section> proxyIn = s -> s.set("acceptProxy", sendProxy.endsWith("v2") ? "v2" : "v1")
                .set("acceptProxyFrom", "127.0.0.1").set("ticketKeyFile", keys);
        TunnelProcess a = jstunnel("a", echo.port(), "127.0.0.1:0", proxyIn, c -> { });
        TunnelProcess b = jstunnel("b", echo.port(), "127.0.0.1:0", proxyIn, c -> { });
        int lb = haproxy(sendProxy, a.port(SERVICE), b.port(SERVICE));

        for (int i = 0; i < 6; i++) assertEquals("x" + i + " one|x" + i + " two", exchange(lb, "x" + i));
        Pattern fromClient = Pattern.compile("Service \\[tls\\] accepted connection from 127\\.0\\.0\\.2:\\d+");
        Pattern header = Pattern.compile("PROXY header from 127\\.0\\.0\\.1:\\d+: client 127\\.0\\.0\\.2:\\d+, destination 127\\.0\\.0\\.1:"
                + "\\d+");
        for (TunnelProcess t : List.of(a, b)) {
            t.awaitLog(0, fromClient, 1); // round robin: both instances served
            t.awaitLog(0, header, 1);
            // HAProxy's own address (127.0.0.1) is never taken for the client's
            assertTrue(t.findLog(Pattern.compile(".*accepted connection from 127\\.0\\.0\\.1:.*")).isEmpty(), t.diagnostics());
        }
        sleep(500); // the last connection's lines
        long served = a.log().stream().filter(l -> l.matches(fromClient)).count()
                + b.log().stream().filter(l -> l.matches(fromClient)).count();
        assertEquals(6, served, "every exchange logged with the client's address");

        // a session from one instance resumes on the other (round robin alternates)
        Path sess = dir.resolve("sess.pem");
        List<String> args = new ArrayList<>(List.of("-tls1_3", "-CAfile", pki.rootFile().toString(), "-bind", CLIENT_HOST + ":0"));
        List<String> out = new ArrayList<>(args);
        out.addAll(List.of("-sess_out", sess.toString()));
        SClient first = SClient.run(dir.resolve("clients"), lb, out, "", Duration.ofMillis(3000), "Post-Handshake New Session Ticket arrived");
        assertEquals("New", first.session(), first.toString());
        int resumed = 0;
        for (int i = 0; i < 4; i++) {
            List<String> in = new ArrayList<>(args);
            in.addAll(List.of("-sess_in", sess.toString()));
            SClient again = SClient.run(dir.resolve("clients"), lb, in, "", Duration.ofMillis(3000), "Post-Handshake New Session Ticket arrived");
            if (again.reused()) resumed++;
        }
        assertEquals(4, resumed, "every reconnect resumes, on either instance");
        Pattern reused = Pattern.compile("TLS accepted: previous session reused");
        a.awaitLog(0, reused, 1);
        b.awaitLog(0, reused, 1);
    }

    /** The client's address from the header goes on in an outbound protocol = proxy header; untrusted senders are refused. */
    @Test
    void theHeadersAddressReachesTheBackendAndUntrustedSendersAreRefused() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getByName(Ports.LOOPBACK))) {
            TunnelProcess t = jstunnel("j", backend.getLocalPort(), "127.0.0.1:0", s -> s.set("acceptProxy", "any")
                    .set("acceptProxyFrom", "127.0.0.0/30").set("protocol", "proxy"), c -> { });
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<String> seen = pool.submit(() -> {
                    try (Socket s = backend.accept()) {
                        s.setSoTimeout(10_000);
                        InputStream in = s.getInputStream();
                        StringBuilder line = new StringBuilder();
                        for (int c; line.length() < 200 && (c = in.read()) >= 0 && c != '\n'; ) line.append((char) c);
                        return line.toString();
                    }
                });
                try (Socket plain = new Socket(Ports.LOOPBACK, t.port(SERVICE))) {
                    plain.getOutputStream().write("PROXY TCP4 192.0.2.7 127.0.0.1 40000 443\r\n".getBytes(StandardCharsets.US_ASCII));
                    try (SSLSocket tls = TlsClient.over(plain, pki.rootFile(), "TLSv1.3")) {
                        tls.startHandshake();
                        assertEquals("PROXY TCP4 192.0.2.7 127.0.0.1 40000 443\r", seen.get(10, TimeUnit.SECONDS));
                    }
                }
                t.awaitLog(0, Pattern.compile("Service \\[tls\\] accepted connection from 192\\.0\\.2\\.7:40000"), 1);
            } finally {
                pool.shutdownNow();
            }

            // 127.0.0.9 is not in 127.0.0.0/30: the header is not read, the connection is closed
            int mark = t.mark();
            SClient refused = SClient.run(dir.resolve("clients"), t.port(SERVICE),
                    List.of("-tls1_3", "-bind", "127.0.0.9:0"), "", Duration.ofMillis(1500));
            assertTrue(refused.session() == null, refused.toString());
            t.awaitLog(mark, Pattern.compile("PROXY header refused from 127\\.0\\.0\\.9:\\d+: not an acceptProxyFrom address"), 1);

            // a trusted sender without a header
            mark = t.mark();
            SClient noHeader = SClient.run(dir.resolve("clients"), t.port(SERVICE), List.of("-tls1_3"), "", Duration.ofMillis(1500));
            assertTrue(noHeader.session() == null, noHeader.toString());
            t.awaitLog(mark, Pattern.compile("PROXY header from 127\\.0\\.0\\.1:\\d+: no PROXY protocol header"), 1);
        }
    }

    /** exec's REMOTE_HOST/REMOTE_PORT are the header's client, not the balancer's address. */
    @Test
    void theExecProgramSeesTheHeadersClient() throws IOException {
        Path script = dir.resolve("whoami.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$REMOTE_HOST:$REMOTE_PORT\"\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        StunnelConfig c = new StunnelConfig().service(SERVICE, s -> s.accept("127.0.0.1:0")
                .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile())
                .set("acceptProxy", "v1").set("acceptProxyFrom", "127.0.0.1")
                .set("exec", script).set("execArgs", "whoami.sh"));
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "exec", c).awaitReady());
        try (Socket plain = new Socket(Ports.LOOPBACK, t.port(SERVICE))) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("PROXY TCP6 2001:db8::7 ::1 40001 443\r\n".getBytes(StandardCharsets.US_ASCII));
            try (SSLSocket tls = TlsClient.over(plain, pki.rootFile(), "TLSv1.3")) {
                BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
                assertEquals("2001:db8::7:40001", in.readLine());
            }
        }
    }

    @Test
    void acceptProxyWithoutTrustedAddressesIsAConfigurationError() {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "bad", new StunnelConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(echo.port()).set("cert", pki.server.chainFile())
                        .set("key", pki.server.keyFile()).set("acceptProxy", "v2"))));
        assertEquals(1, t.awaitExit(Duration.ofSeconds(20)).orElseThrow());
        assertTrue(t.diagnostics().contains("acceptProxy needs acceptProxyFrom"), t.diagnostics());
    }

    /**
     * A rolling restart under load: 200 exchanges through HAProxy (send-proxy-v2) over two instances;
     * meanwhile a new process binds instance A's port (reusePort) and A gets SIGTERM and drains
     * (drainTimeout). No exchange may fail; A logs its drain and exits 0.
     */
    @Test
    void aRollingRestartWithDrainLosesNoExchange() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        Path keys = keyFile();
        Consumer<StunnelConfig.Section> node = s -> s.set("acceptProxy", "v2").set("acceptProxyFrom", "127.0.0.1")
                .set("ticketKeyFile", keys).set("reusePort", "yes");
        Consumer<StunnelConfig> drain = c -> c.global("drainTimeout", "20");
        TunnelProcess a = jstunnel("a", echo.port(), "127.0.0.1:0", node, drain);
        TunnelProcess b = jstunnel("b", echo.port(), "127.0.0.1:0", node, drain);
        int portA = a.port(SERVICE);
        int lb = haproxy("send-proxy-v2", portA, b.port(SERVICE));

        int total = 200;
        AtomicInteger next = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            done.add(clients.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < total; ) {
                    try {
                        String got = exchange(lb, "r" + i);
                        if (!got.equals("r" + i + " one|r" + i + " two")) failures.add(i + ": " + got);
                    } catch (IOException | RuntimeException e) {
                        failures.add(i + ": " + e);
                    }
                    sleep(20);
                }
            }));
        }
        // while the load runs: a connection held open on A (straight to it, a v2 LOCAL header), A' takes
        // A's port, then A drains: the held connection goes on working until it is closed
        while (next.get() < 40) sleep(20);
        Socket held = new Socket(Ports.LOOPBACK, portA);
        held.setSoTimeout(10_000);
        held.getOutputStream().write(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0, 0, 0});
        SSLSocket heldTls = TlsClient.over(held, pki.rootFile(), "TLSv1.3");
        BufferedReader heldIn = new BufferedReader(new InputStreamReader(heldTls.getInputStream(), StandardCharsets.US_ASCII));
        heldTls.getOutputStream().write("held one\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("held one", heldIn.readLine());
        TunnelProcess a2 = jstunnel("a2", echo.port(), "127.0.0.1:" + portA, node, drain);
        int mark = a.mark();
        a.process().signal("TERM");
        a.awaitLog(mark, Pattern.compile("Draining: accepting no new connections, [1-9]\\d* connection\\(s\\) active, waiting up to 20 s"), 1);
        sleep(300);
        heldTls.getOutputStream().write("held two\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("held two", heldIn.readLine(), "a connection established before the drain still works");
        assertTrue(a.process().isAlive(), "A waits for its connections");
        heldTls.close();
        held.close();
        assertEquals(0, a.awaitExit(Duration.ofSeconds(30)).orElseThrow(), a.diagnostics());
        a.awaitLog(mark, Pattern.compile("Drained: all connections ended"), 1);
        for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
        clients.shutdown();
        assertEquals(List.of(), failures, "failed exchanges of " + total);
        assertTrue(next.get() >= total);
        Pattern served = Pattern.compile("Service \\[tls\\] accepted connection from 127\\.0\\.0\\.2:\\d+");
        a2.awaitLog(0, served, 1);
        System.out.printf("rolling restart: %d exchanges, %d failed; served by a=%d (drained: %s), a2=%d, b=%d%n", total,
                failures.size(), a.log().stream().filter(l -> l.matches(served)).count(),
                a.findLog(Pattern.compile("Draining: .*")).map(Object::toString).orElse("?"),
                a2.log().stream().filter(l -> l.matches(served)).count(), b.log().stream().filter(l -> l.matches(served)).count());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
