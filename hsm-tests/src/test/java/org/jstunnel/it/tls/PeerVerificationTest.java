package org.jstunnel.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TunnelProcess;
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
 * Server mode verifying client certificates from a real PKI (root, intermediate, leaves): CAfile,
 * CApath, CRLfile, CRLpath, verify levels 0-4, checkHost/checkIP/checkEmail. A refused client gets the
 * alert stunnel's OpenSSL sends (as {@code openssl s_client} reports it), the log says why, and the
 * backend is never contacted. One tunnel with one service per policy serves every test; run with
 * {@code -Djstunnel.bin=/usr/bin/stunnel4} to check the expectations against stunnel.
 */
class PeerVerificationTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static CaPki pki;
    static EchoBackend echo;
    static TunnelProcess tunnel;

    @BeforeAll
    static void start() {
        pki = CaPki.create(dir.resolve("pki"));
        echo = new EchoBackend();
        Path both = pki.bothCasFile();
        Path peerFile = concat("verify-peer-cas.pem", pki.client.certFile(), pki.rootFile());
        StunnelConfig c = new StunnelConfig();
        service(c, "chain", s -> s.set("CAfile", pki.rootFile()).set("verifyChain", "yes"));
        service(c, "capath", s -> s.set("CApath", pki.caDir()).set("verifyChain", "yes"));
        service(c, "crlfile", s -> s.set("CAfile", pki.rootFile()).set("verifyChain", "yes").set("CRLfile", pki.crlFile()));
        service(c, "crlpath", s -> s.set("CAfile", pki.rootFile()).set("verifyChain", "yes").set("CRLpath", pki.crlDir()));
        service(c, "checkhost", s -> s.set("CAfile", pki.rootFile()).set("verifyChain", "yes")
                .set("checkHost", "nomatch.example").set("checkHost", "localhost"));
        service(c, "checkip", s -> s.set("CAfile", pki.rootFile()).set("verifyChain", "yes").set("checkIP", "127.0.0.1"));
        service(c, "checkemail", s -> s.set("CAfile", pki.rootFile()).set("verifyChain", "yes")
                .set("checkEmail", CaPki.CLIENT_EMAIL));
        service(c, "verify0", s -> s.set("CAfile", pki.rootFile()).set("verify", "0"));
        service(c, "verify1", s -> s.set("CAfile", pki.rootFile()).set("verify", "1"));
        service(c, "verify2", s -> s.set("CAfile", both).set("verify", "2"));
        service(c, "verify3", s -> s.set("CAfile", peerFile).set("verify", "3"));
        service(c, "verify4", s -> s.set("CAfile", pki.client.certFile()).set("verify", "4"));
        tunnel = TunnelProcess.start(dir.resolve("run"), "jstunnel", c);
    }

    private static void service(StunnelConfig c, String name, java.util.function.Consumer<StunnelConfig.Section> body) {
        c.service(name, s -> {
            s.accept("127.0.0.1:0").connect(echo.port()).set("cert", pki.server.chainFile()).set("key", pki.server.keyFile());
            body.accept(s);
        });
    }

    private static Path concat(String name, Path... files) {
        try {
            StringBuilder sb = new StringBuilder();
            for (Path f : files) sb.append(java.nio.file.Files.readString(f));
            Path out = dir.resolve(name);
            java.nio.file.Files.writeString(out, sb.toString());
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (tunnel != null) tunnel.close();
        if (echo != null) echo.close();
    }

    private static CaPki.Leaf leaf(String name) {
        return switch (name) {
            case "client" -> pki.client;
            case "server" -> pki.server;
            case "expired" -> pki.expired;
            case "notYetValid" -> pki.notYetValid;
            case "wrongHost" -> pki.wrongHost;
            case "revoked" -> pki.revoked;
            case "selfSigned" -> pki.selfSigned;
            case "untrusted" -> pki.untrusted;
            case "none" -> null;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** s_client presenting {@code presented} (or no certificate); sends one line while stdin stays open. */
    private static SClient connect(String service, CaPki.Leaf presented, String version) {
        List<String> args = new ArrayList<>(List.of("-CAfile", pki.rootFile().toString(), version));
        if (presented != null) {
            // -cert takes the first certificate only; -cert_chain adds the intermediate
            args.addAll(List.of("-cert", presented.certFile().toString(), "-key", presented.keyFile().toString(),
                    "-cert_chain", presented.chainFile().toString()));
        }
        return SClient.run(dir.resolve("clients"), tunnel.port(service), args, "ping\n", Duration.ofMillis(3000), "\nping");
    }

    @ParameterizedTest(name = "[{0}] {1} {2}")
    @CsvSource({
        "chain, client, -tls1_3",
        "chain, client, -tls1_2",
        "chain, revoked, -tls1_3",        // no CRL configured: revocation is not checked
        "capath, client, -tls1_3",
        "crlfile, client, -tls1_3",
        "crlpath, client, -tls1_2",
        "checkhost, server, -tls1_3",     // the second checkHost matches
        "checkip, server, -tls1_3",
        "checkemail, client, -tls1_3",
        "verify0, untrusted, -tls1_3",    // level 0: requested and ignored
        "verify0, none, -tls1_3",
        "verify1, none, -tls1_3",         // level 1: verified only if present
        "verify1, client, -tls1_2",
        "verify2, client, -tls1_3",
        "verify3, client, -tls1_3",       // chain and locally installed
        "verify4, client, -tls1_3",       // locally installed only
        "verify4, client, -tls1_2",
    })
    void accepted(String service, String presented, String version) {
        int mark = tunnel.mark();
        SClient c = connect(service, leaf(presented), version);
        assertTrue(c.stdout().contains("ping"), "the echo must come back through the tunnel\n" + c);
        ConnectionLog log = Conns.awaitEnded(tunnel, mark, service);
        log.require(StunnelLog.TLS_ACCEPTED);
        if (!presented.equals("none") && !service.equals("verify0")) {
            log.require(Pattern.compile("Certificate accepted at depth=0: CN=" + Pattern.quote(leaf(presented).commonName())));
        }
        if (service.equals("verify0") && !presented.equals("none")) {
            log.require(Pattern.compile("Certificate verification disabled"));
        }
    }

    @ParameterizedTest(name = "[{0}] {1} {2} -> alert {3}")
    @CsvSource({
        // what Debian's stunnel 5.68 on OpenSSL 3 sends, as s_client reports it; a failed subject check
        // sets no verification error, so OpenSSL reports X509_V_ERR_UNSPECIFIED: internal_error (80)
        "chain, untrusted, -tls1_3, 48, CERT: Pre-verification error: unable to get local issuer certificate",
        "chain, untrusted, -tls1_2, 48, CERT: Pre-verification error: unable to get local issuer certificate",
        "chain, selfSigned, -tls1_3, 48, CERT: Pre-verification error: self-signed certificate",
        "chain, expired, -tls1_3, 45, CERT: Pre-verification error: certificate has expired",
        "chain, expired, -tls1_2, 45, CERT: Pre-verification error: certificate has expired",
        "chain, notYetValid, -tls1_3, 42, CERT: Pre-verification error: certificate is not yet valid",
        "capath, untrusted, -tls1_3, 48, CERT: Pre-verification error: unable to get local issuer certificate",
        "crlfile, revoked, -tls1_3, 44, CERT: Pre-verification error: certificate revoked",
        "crlfile, revoked, -tls1_2, 44, CERT: Pre-verification error: certificate revoked",
        "crlpath, revoked, -tls1_3, 44, CERT: Pre-verification error: certificate revoked",
        "checkhost, wrongHost, -tls1_3, 80, CERT: Subject checks failed",
        "checkhost, wrongHost, -tls1_2, 80, CERT: Subject checks failed",
        "checkip, wrongHost, -tls1_3, 80, CERT: Subject checks failed",
        "checkemail, server, -tls1_3, 80, CERT: Subject checks failed",
        "verify1, untrusted, -tls1_3, 48, CERT: Pre-verification error: unable to get local issuer certificate",
        "verify2, none, -tls1_3, 116, SSL_accept: .*peer did not return a certificate",
        "verify2, none, -tls1_2, 40, SSL_accept: .*peer did not return a certificate",
        "verify3, server, -tls1_3, 42, CERT: Certificate not found in local repository",
        "verify4, server, -tls1_3, 42, CERT: Certificate not found in local repository",
        "verify4, expired, -tls1_2, 45, CERT: Pre-verification error: certificate has expired",
    })
    void refused(String service, String presented, String version, int alert, String why) {
        int mark = tunnel.mark();
        SClient c = connect(service, leaf(presented), version);
        assertNotEquals(0, c.exitCode(), "s_client must fail\n" + c);
        assertEquals(Integer.valueOf(alert), c.alertNumber(), "the alert s_client received\n" + c);
        assertTrue(!c.stdout().contains("ping"), "no data may pass\n" + c);
        ConnectionLog log = Conns.awaitEnded(tunnel, mark, service);
        log.require(Pattern.compile(why));
        log.requireAbsent(StunnelLog.TLS_ACCEPTED);
        log.requireAbsent(StunnelLog.connectedRemote(service));
        ConnectionLog.End end = log.end();
        assertEquals("reset/closed", end.status(), end.line().raw());
        assertEquals(0, end.sentToSocket());
        if (!presented.equals("none")) {
            log.require(Pattern.compile("Rejected by CERT at depth=0: CN=" + Pattern.quote(leaf(presented).commonName())));
        }
    }

    @Test
    void clientCaListIsAdvertisedAndLogged() {
        SClient c = connect("chain", pki.client, "-tls1_2");
        assertTrue(c.stdout().contains("Acceptable client certificate CA names\n/CN=" + CaPki.ROOT_CN)
                || c.stdout().contains("Acceptable client certificate CA names\nCN = " + CaPki.ROOT_CN), c.toString());
        assertTrue(tunnel.findLog(Pattern.compile("Client CA: CN=" + Pattern.quote(CaPki.ROOT_CN))).isPresent()
                || tunnel.findLog(Pattern.compile("Configured trusted client CA: CN=" + Pattern.quote(CaPki.ROOT_CN))).isPresent(),
                "the client CA list is logged at start-up");
        assertNull(c.alertNumber(), c.toString());
    }
}
