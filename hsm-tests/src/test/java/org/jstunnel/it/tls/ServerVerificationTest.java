package org.jstunnel.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.CaPki;
import org.jstunnel.it.tls.support.Conns;
import org.jstunnel.it.tls.support.SServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Client mode verifying the server ({@code openssl s_server} presenting a chain from {@link CaPki}):
 * verifyChain with CAfile or CApath, CRLfile, checkHost, verifyPeer. A refused server gets the alert
 * stunnel's OpenSSL sends, as s_server reports it; nothing reaches the local client. One tunnel, one
 * service per policy, all connecting to the port where each test starts its s_server.
 */
class ServerVerificationTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static CaPki pki;
    static int serverPort;
    static TunnelProcess tunnel;

    @RegisterExtension
    final Resources res = new Resources();

    @BeforeAll
    static void start() {
        pki = CaPki.create(dir.resolve("pki"));
        serverPort = Ports.freeLoopbackPort();
        StunnelConfig c = new StunnelConfig();
        service(c, "chain", s -> s.set("CAfile", pki.rootFile()).set("verifyChain", "yes").set("checkHost", "localhost"));
        service(c, "capath", s -> s.set("CApath", pki.caDir()).set("verifyChain", "yes").set("checkIP", "127.0.0.1"));
        service(c, "crl", s -> s.set("CAfile", pki.rootFile()).set("verifyChain", "yes").set("checkHost", "localhost")
                .set("CRLfile", pki.crlFile()));
        service(c, "peer", s -> s.set("CAfile", pki.server.certFile()).set("verifyPeer", "yes"));
        tunnel = TunnelProcess.start(dir.resolve("run"), "jstunnel", c);
    }

    private static void service(StunnelConfig c, String name, java.util.function.Consumer<StunnelConfig.Section> body) {
        c.service(name, s -> {
            s.client().accept("127.0.0.1:0").connect(serverPort);
            body.accept(s);
        });
    }

    @AfterAll
    static void stop() {
        if (tunnel != null) tunnel.close();
    }

    private static CaPki.Leaf leaf(String name) {
        return switch (name) {
            case "server" -> pki.server;
            case "expired" -> pki.expired;
            case "wrongHost" -> pki.wrongHost;
            case "revoked" -> pki.revoked;
            case "selfSigned" -> pki.selfSigned;
            case "untrusted" -> pki.untrusted;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "[{0}] {1} {2}")
    @CsvSource({
        "chain, server, -tls1_3",
        "chain, server, -tls1_2",
        "chain, revoked, -tls1_3",   // no CRL in this service
        "capath, server, -tls1_3",
        "crl, server, -tls1_2",
        "peer, server, -tls1_3",
    })
    void accepted(String service, String presented, String version) {
        SServer server = res.add(SServer.start(dir.resolve("servers"), "s_server", serverPort, leaf(presented),
                List.of(version)));
        int mark = tunnel.mark();
        Exchange ex = PlainClient.exchange(tunnel.port(service), "abc\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("cba\n", new String(ex.receivedPrefix(), StandardCharsets.US_ASCII), "s_server's reversed line");
        ConnectionLog log = Conns.awaitEnded(tunnel, mark, service);
        log.require(StunnelLog.TLS_CONNECTED);
        log.require(Pattern.compile("Certificate accepted at depth=0: CN=localhost"));
        if (service.equals("chain")) log.require(Pattern.compile("CERT: Host name \"localhost\" matched with \"localhost\""));
        if (service.equals("capath")) log.require(Pattern.compile("CERT: IP address \"127.0.0.1\" matched"));
        server.close();
    }

    @ParameterizedTest(name = "[{0}] {1} {2} -> alert {3}")
    @CsvSource({
        "chain, wrongHost, -tls1_3, 80, CERT: Subject checks failed",
        "chain, wrongHost, -tls1_2, 80, CERT: Subject checks failed",
        "chain, expired, -tls1_3, 45, CERT: Pre-verification error: certificate has expired",
        "chain, untrusted, -tls1_2, 48, CERT: Pre-verification error: unable to get local issuer certificate",
        "chain, selfSigned, -tls1_3, 48, CERT: Pre-verification error: self-signed certificate",
        "capath, untrusted, -tls1_3, 48, CERT: Pre-verification error: unable to get local issuer certificate",
        "crl, revoked, -tls1_3, 44, CERT: Pre-verification error: certificate revoked",
        "crl, revoked, -tls1_2, 44, CERT: Pre-verification error: certificate revoked",
        "peer, wrongHost, -tls1_3, 42, CERT: Certificate not found in local repository",
    })
    void refused(String service, String presented, String version, int alert, String why) {
        SServer server = res.add(SServer.start(dir.resolve("servers"), "s_server", serverPort, leaf(presented),
                List.of(version)));
        int mark = tunnel.mark();
        Exchange ex = PlainClient.exchange(tunnel.port(service), "abc\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, ex.received().count(), "nothing may come back from a refused server");
        String peer = server.awaitStderr(Pattern.compile("SSL alert number \\d+"));
        assertTrue(peer.contains("SSL alert number " + alert), "s_server's view:\n" + peer);
        ConnectionLog log = Conns.awaitEnded(tunnel, mark, service);
        log.require(Pattern.compile(why));
        log.require(Pattern.compile("Rejected by CERT at depth=0: CN=" + Pattern.quote(leaf(presented).commonName())));
        log.require(StunnelLog.sslError("SSL_connect", "certificate verify failed"));
        log.requireAbsent(StunnelLog.TLS_CONNECTED);
        assertEquals("closed/reset", log.end().status(), log.end().line().raw());
        server.close();
    }
}
