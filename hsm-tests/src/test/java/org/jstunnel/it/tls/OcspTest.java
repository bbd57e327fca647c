package org.jstunnel.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.CaPki;
import org.jstunnel.it.tls.support.Conns;
import org.jstunnel.it.tls.support.OcspResponder;
import org.jstunnel.it.tls.support.SClient;
import org.jstunnel.it.tls.support.SServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OCSP ({@code OCSP}, {@code OCSPaia}, {@code OCSPnonce}, {@code OCSPflag}) against a responder on
 * loopback whose answers {@code openssl ocsp} makes from the CA databases: a revoked certificate is
 * refused, a good one accepted. stunnel 5.75's order: a client checks its leaf in the status callback
 * (staple first, then the configured responder, then AIA); a server checks client certificates in
 * the verify callback (certificate_revoked).
 */
class OcspTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static CaPki pki;
    static OcspResponder responder;
    static CaPki.Leaf aiaGood;
    static CaPki.Leaf aiaRevoked;
    static int serverPort;
    static EchoBackend echo;
    static TunnelProcess tunnel;

    @RegisterExtension
    final Resources res = new Resources();

    @BeforeAll
    static void start() {
        pki = CaPki.create(dir.resolve("pki"));
        responder = OcspResponder.start(pki);
        String aia = "authorityInfoAccess = OCSP;URI:" + responder.url();
        aiaGood = pki.issue("aia-good", "localhost", "DNS:localhost,IP:127.0.0.1", aia);
        aiaRevoked = pki.issue("aia-revoked", "localhost", "DNS:localhost,IP:127.0.0.1", aia);
        pki.revoke(aiaRevoked);
        serverPort = Ports.freeLoopbackPort();
        echo = new EchoBackend();
        StunnelConfig c = new StunnelConfig();
        client(c, "url", s -> s.set("OCSP", responder.url()));
        client(c, "nonce", s -> s.set("OCSP", responder.url()).set("OCSPnonce", "yes"));
        client(c, "aia", s -> s.set("OCSPaia", "yes"));
        client(c, "flags", s -> s.set("OCSP", responder.url()).set("OCSPflag", "NOCHAIN").set("OCSPflag", "RESPID_KEY"));
        c.service("server", s -> s.accept("127.0.0.1:0").connect(echo.port()).set("cert", pki.server.chainFile())
                .set("key", pki.server.keyFile()).set("CAfile", pki.rootFile()).set("verifyChain", "yes")
                .set("OCSP", responder.url()));
        tunnel = TunnelProcess.start(dir.resolve("run"), "jstunnel", c);
    }

    private static void client(StunnelConfig c, String name, java.util.function.Consumer<StunnelConfig.Section> body) {
        c.service(name, s -> {
            s.client().accept("127.0.0.1:0").connect(serverPort).set("CAfile", pki.rootFile())
                    .set("verifyChain", "yes").set("checkHost", "localhost");
            body.accept(s);
        });
    }

    @AfterAll
    static void stop() {
        if (tunnel != null) tunnel.close();
        if (echo != null) echo.close();
        if (responder != null) responder.close();
    }

    private static CaPki.Leaf leaf(String name) {
        return switch (name) {
            case "server" -> pki.server;
            case "revoked" -> pki.revoked;
            case "aiaGood" -> aiaGood;
            case "aiaRevoked" -> aiaRevoked;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "[{0}] {1} {2}")
    @CsvSource({"url, server, -tls1_3", "url, server, -tls1_2", "nonce, server, -tls1_3", "aia, aiaGood, -tls1_3",
        "flags, server, -tls1_2"})
    void goodCertificateIsAccepted(String service, String presented, String version) {
        res.add(SServer.start(dir.resolve("servers"), "s_server", serverPort, leaf(presented), List.of(version)));
        int before = responder.requests();
        int mark = tunnel.mark();
        Exchange ex = PlainClient.exchange(tunnel.port(service), "abc\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("cba\n", new String(ex.receivedPrefix(), StandardCharsets.US_ASCII));
        ConnectionLog log = Conns.awaitEnded(tunnel, mark, service);
        // stunnel 5.75: a client checks its leaf after the handshake's verification, in the status callback
        // (no staple from s_server), the configured responder for the leaf only, AIA for any certificate
        String first = service.equals("aia")
                ? "OCSP: Connecting the AIA responder \"" + Pattern.quote(responder.url()) + "\""
                : "OCSP: Connecting the configured responder \"" + Pattern.quote(responder.url()) + "\"";
        log.requireInOrder(Pattern.compile("Certificate accepted at depth=1: CN=" + Pattern.quote(CaPki.INTERMEDIATE_CN)),
                Pattern.compile("Certificate accepted at depth=0: CN=localhost"),
                Pattern.compile("OCSP: No OCSP stapling response received"), Pattern.compile(first),
                Pattern.compile("OCSP: Status: good"), Pattern.compile("OCSP: Certificate accepted"),
                Pattern.compile("OCSP: Accepted \\(good\\)"), StunnelLog.TLS_CONNECTED);
        assertEquals(1, responder.requests() - before, "the leaf only (5.75: OCSP = URL is for the leaf)");
    }

    @ParameterizedTest(name = "[{0}] {1} {2}")
    @CsvSource({"url, revoked, -tls1_3", "url, revoked, -tls1_2", "nonce, revoked, -tls1_3", "aia, aiaRevoked, -tls1_3"})
    void revokedCertificateIsRefused(String service, String presented, String version) {
        SServer server = res.add(SServer.start(dir.resolve("servers"), "s_server", serverPort, leaf(presented),
                List.of(version)));
        int mark = tunnel.mark();
        Exchange ex = PlainClient.exchange(tunnel.port(service), "abc\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, ex.received().count());
        String peer = server.awaitStderr(Pattern.compile("SSL alert number \\d+"));
        // stunnel 5.75 refuses from the status callback: OpenSSL's bad_certificate_status_response
        assertTrue(peer.contains("bad certificate status response") && peer.contains("SSL alert number 113"), peer);
        ConnectionLog log = Conns.awaitEnded(tunnel, mark, service);
        log.require(Pattern.compile("OCSP: Certificate revoked: 1: keyCompromise"));
        log.require(Pattern.compile("OCSP: Rejected \\(revoked\\)"));
        log.requireAbsent(StunnelLog.TLS_CONNECTED);
    }

    /** Server mode: a client certificate revoked at the responder gets certificate_revoked. */
    @Test
    void serverModeChecksClientCertificates() {
        int mark = tunnel.mark();
        SClient refused = SClient.run(dir.resolve("clients"), tunnel.port("server"), List.of("-tls1_2", "-cert",
                pki.revoked.certFile().toString(), "-key", pki.revoked.keyFile().toString(), "-cert_chain",
                pki.revoked.chainFile().toString()), "x\n", Duration.ofMillis(3000), "\nx");
        assertNotEquals(0, refused.exitCode(), refused.toString());
        assertEquals(Integer.valueOf(44), refused.alertNumber(), refused.toString());
        Conns.awaitEnded(tunnel, mark, "server").require(Pattern.compile("Rejected by OCSP at depth=0: CN=localhost"));

        mark = tunnel.mark();
        SClient ok = SClient.run(dir.resolve("clients"), tunnel.port("server"), List.of("-tls1_3", "-cert",
                pki.client.certFile().toString(), "-key", pki.client.keyFile().toString(), "-cert_chain",
                pki.client.chainFile().toString()), "x\n", Duration.ofMillis(3000), "\nx");
        assertTrue(ok.stdout().contains("\nx"), ok.toString());
        Conns.awaitEnded(tunnel, mark, "server").require(Pattern.compile("OCSP: Certificate accepted"));
    }
}
