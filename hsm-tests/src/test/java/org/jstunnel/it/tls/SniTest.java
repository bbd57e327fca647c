package org.jstunnel.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.BannerBackend;
import org.jstunnel.it.tls.support.CaPki;
import org.jstunnel.it.tls.support.Conns;
import org.jstunnel.it.tls.support.SClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Server-side SNI: a master service and its slaves ({@code sni = MASTER:PATTERN}). The name the client
 * sends picks the slave whose certificate it sees, whose verification applies and whose backend it
 * reaches; no match or no name stays with the master. Each backend greets with its own tag.
 */
class SniTest {
    private static final String MASTER = "virtual";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static CaPki pki;
    static CaPki.Leaf server1;
    static CaPki.Leaf wildcard;
    static final List<BannerBackend> backends = new ArrayList<>();
    static TunnelProcess tunnel;

    @BeforeAll
    static void start() {
        pki = CaPki.create(dir.resolve("pki"));
        server1 = pki.issue("server1", "server1.example.org", "DNS:server1.example.org", null);
        wildcard = pki.issue("wildcard", "*.wild.example", "DNS:*.wild.example", null);
        BannerBackend master = backend("MASTER");
        BannerBackend one = backend("SERVER1");
        BannerBackend wild = backend("WILD");
        BannerBackend secure = backend("SECURE");
        StunnelConfig c = new StunnelConfig()
                .service(MASTER, s -> s.accept("127.0.0.1:0").connect(master.port())
                        .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()))
                .service("sni1", s -> s.set("sni", MASTER + ":server1.example.org").connect(one.port())
                        .set("cert", server1.chainFile()).set("key", server1.keyFile()))
                .service("sni2", s -> s.set("sni", MASTER + ":*.wild.example").connect(wild.port())
                        .set("cert", wildcard.chainFile()).set("key", wildcard.keyFile()))
                .service("sni3", s -> s.set("sni", MASTER + ":secure.example.org").connect(secure.port())
                        .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile())
                        .set("CAfile", pki.rootFile()).set("verifyChain", "yes"));
        tunnel = TunnelProcess.start(dir.resolve("run"), "jstunnel", c);
    }

    private static BannerBackend backend(String tag) {
        BannerBackend b = new BannerBackend(tag);
        backends.add(b);
        return b;
    }

    @AfterAll
    static void stop() {
        if (tunnel != null) tunnel.close();
        backends.forEach(BannerBackend::close);
    }

    private static SClient connect(List<String> extra) {
        List<String> args = new ArrayList<>(List.of("-CAfile", pki.rootFile().toString()));
        args.addAll(extra);
        return SClient.run(dir.resolve("clients"), tunnel.port(MASTER), args, "", Duration.ofMillis(3000), "\n");
    }

    private static SClient connectUntilBanner(List<String> extra, String banner) {
        List<String> args = new ArrayList<>(List.of("-CAfile", pki.rootFile().toString()));
        args.addAll(extra);
        return SClient.run(dir.resolve("clients"), tunnel.port(MASTER), args, "", Duration.ofMillis(3000), banner + "\n");
    }

    @ParameterizedTest(name = "{0} {2} -> {1}")
    @CsvSource({
        "server1.example.org, SERVER1, -tls1_3, server1.example.org, sni1",
        "SERVER1.Example.ORG, SERVER1, -tls1_2, server1.example.org, sni1",  // case-insensitive
        "a.wild.example, WILD, -tls1_3, *.wild.example, sni2",
        "x.y.wild.example, WILD, -tls1_2, *.wild.example, sni2",           // the wildcard is a suffix match
    })
    void matchingNameSwitchesToTheSlave(String name, String banner, String version, String certCn, String slave) {
        int mark = tunnel.mark();
        SClient c = connectUntilBanner(List.of(version, "-servername", name), banner);
        assertTrue(c.stdout().contains("\n" + banner + "\n"), "the slave's backend\n" + c);
        assertTrue(c.stdout().contains("s:CN = " + certCn), "the slave's certificate\n" + c);
        ConnectionLog log = Conns.awaitEnded(tunnel, mark, MASTER);
        log.requireInOrder(Pattern.compile("SNI: requested servername: " + Pattern.quote(name)),
                Pattern.compile("SNI: switched to service \\[" + slave + "\\]"), StunnelLog.TLS_ACCEPTED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"wild.example", "unknown.example.org", "server1.example.org.evil"})
    void unmatchedNameStaysWithTheMaster(String name) {
        int mark = tunnel.mark();
        SClient c = connectUntilBanner(List.of("-tls1_3", "-servername", name), "MASTER");
        assertTrue(c.stdout().contains("\nMASTER\n"), c.toString());
        assertTrue(c.stdout().contains("s:CN = localhost"), c.toString());
        ConnectionLog log = Conns.awaitEnded(tunnel, mark, MASTER);
        log.require(Pattern.compile("SNI: no pattern matched servername: " + Pattern.quote(name)));
        log.requireAbsent(Pattern.compile("SNI: switched to service.*"));
    }

    @Test
    void noServerNameStaysWithTheMaster() {
        int mark = tunnel.mark();
        SClient c = connectUntilBanner(List.of("-tls1_2", "-noservername"), "MASTER");
        assertTrue(c.stdout().contains("\nMASTER\n"), c.toString());
        Conns.awaitEnded(tunnel, mark, MASTER).require(Pattern.compile("SNI: no servername received"));
    }

    /** Python's ssl module as the client: it checks the slave's certificate against the name it sent. */
    @Test
    void pythonClientGetsTheSlaveCertificate() {
        String script = String.join("\n",
                "import socket, ssl, sys",
                "ctx = ssl.create_default_context(cafile=sys.argv[2])",
                "with socket.create_connection(('127.0.0.1', int(sys.argv[1]))) as raw:",
                "    with ctx.wrap_socket(raw, server_hostname='server1.example.org') as s:",
                "        print(s.getpeercert()['subject'][0][0][1])",
                "        print(s.recv(100).decode().strip())");
        String out = org.jstunnel.it.support.Commands.run(dir, List.of("python3", "-c", script,
                Integer.toString(tunnel.port(MASTER)), pki.rootFile().toString()));
        assertEquals("server1.example.org\nSERVER1", out.strip(), out);
    }

    /** The slave's own verification settings apply after the switch. */
    @Test
    void slaveVerificationApplies() {
        int mark = tunnel.mark();
        SClient refused = connect(List.of("-tls1_3", "-servername", "secure.example.org"));
        assertNotEquals(0, refused.exitCode(), refused.toString());
        assertEquals(Integer.valueOf(116), refused.alertNumber(), "certificate_required\n" + refused);
        ConnectionLog log = Conns.awaitEnded(tunnel, mark, MASTER);
        log.require(Pattern.compile("SNI: switched to service \\[sni3\\]"));
        log.require(StunnelLog.sslError("SSL_accept", "peer did not return a certificate"));

        mark = tunnel.mark();
        SClient ok = connectUntilBanner(List.of("-tls1_3", "-servername", "secure.example.org",
                "-cert", pki.client.certFile().toString(), "-key", pki.client.keyFile().toString(),
                "-cert_chain", pki.client.chainFile().toString()), "SECURE");
        assertTrue(ok.stdout().contains("\nSECURE\n"), ok.toString());
        Conns.awaitEnded(tunnel, mark, MASTER).require(Pattern.compile(
                "Certificate accepted at depth=0: CN=" + Pattern.quote(CaPki.CLIENT_CN)));
    }
}
