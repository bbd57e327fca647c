package org.jstunnel.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jstunnel.hsm.support.HsmTestSupport;
import org.jstunnel.hsm.support.Pkcs11Tool;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.OpenSslServer;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.SClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * stunnel 5.75's {@code CAengine} (the trust anchor is a certificate object on the token, fetched
 * through the pkcs11 engine) and {@code CAstore} (an OSSL_STORE URI): a client verifies its server
 * with nothing else, a server advertises and checks client CAs from the store. stunnel4 (5.68 has
 * CAengine, not CAstore) runs the same CAengine configuration.
 */
class CaEngineStoreTest extends HsmTestSupport {
    private static final String CA_OBJECT = "trusted-root";

    @BeforeAll
    static void caOnTheToken() {
        Pkcs11Tool.writeCertificate(hsm.token(), hsm.caFile(), CA_OBJECT, "c0");
    }

    private StunnelConfig.Section verifyingClient(StunnelConfig.Section s, int port) {
        return s.client().accept("127.0.0.1:0").connect(port).set("verifyChain", "yes").set("checkHost", "localhost");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void caEngineIsTheOnlyTrustAnchor(String program) {
        OpenSslServer server = res.add(OpenSslServer.startRev(dir, "s_server", hsm.pki().server(), List.of()));
        StunnelConfig c = hsm.engineConfig().service("ca", s -> verifyingClient(s, server.port())
                .set("engineId", "pkcs11").set("CAengine", hsm.token().uri(CA_OBJECT)));
        Path bin = program.equals("jstunnel") ? hsm.jstunnel(dir) : hsm.stunnel4(dir);
        TunnelProcess t = res.add(TunnelProcess.launch(bin, dir, program, c).awaitReady());
        Exchange ex = PlainClient.exchange(t.port("ca"), "hello ca\n".getBytes(StandardCharsets.US_ASCII)).requireSuccess();
        assertEquals("ac olleh\n", ex.receivedText(), "verified through the token's CA, s_server -rev answered");
        t.awaitLog(Pattern.compile("Certificate accepted at depth=1: CN=" + Pattern.quote(TestPki.CA_CN)));
        if (program.equals("jstunnel"))
            t.awaitLog(Pattern.compile("CAengine loaded \"pkcs11:token=.*;object=" + CA_OBJECT + "\": CN=" + Pattern.quote(TestPki.CA_CN)));
    }

    @Test
    void aCaEngineObjectTheTokenLacksIsLoggedAndNothingIsTrusted() {
        StunnelConfig c = hsm.engineConfig().service("ca", s -> verifyingClient(s, 9)
                .set("engineId", "pkcs11").set("CAengine", hsm.token().uri("no-such-ca")));
        TunnelProcess p = res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel", c));
        Optional<Integer> code = p.awaitExit(Timeouts.STARTUP);
        assertTrue(code.isPresent(), "jstunnel did not exit");
        assertNotEquals(0, code.get());
        String log = String.join("\n", p.log().stream().map(Object::toString).toList()) + "\n" + p.stderr();
        assertTrue(log.contains("CAengine failed to retrieve \"pkcs11:token=" + hsm.token().label() + ";object=no-such-ca\""), log);
        assertTrue(log.contains("No trusted certificates found"), log);
    }

    @Test
    void caStoreTrustsAndListsClientCas() {
        String store = "file:" + hsm.caFile();
        // client: the store is the trust anchor
        OpenSslServer server = res.add(OpenSslServer.startRev(dir, "s_server", hsm.pki().server(), List.of()));
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig c = new StunnelConfig().global("debug", "debug")
                .service("client", s -> verifyingClient(s, server.port()).set("CAstore", store))
                .service("server", s -> s.accept("127.0.0.1:0").connect(echo.port()).identity(hsm.pki().server())
                        .set("CAstore", store).set("verifyChain", "yes").set("requireCert", "yes"));
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "jstunnel", c).awaitReady());
        Exchange ex = PlainClient.exchange(t.port("client"), "store\n".getBytes(StandardCharsets.US_ASCII)).requireSuccess();
        assertEquals("erots\n", ex.receivedText());

        // server: the store's CA is advertised and checks the client's certificate
        TestPki.Entity client = hsm.pki().client();
        SClient ok = SClient.run(dir.resolve("s_client"), t.port("server"), List.of("-cert", client.certFile().toString(),
                "-key", client.keyFile().toString(), "-CAfile", hsm.caFile().toString()), "ping\n",
                Duration.ofMillis(3000), "ping");
        assertTrue(ok.stdout().contains("Acceptable client certificate CA names"), ok.toString());
        assertTrue(ok.stdout().contains("CN = " + TestPki.CA_CN), ok.toString());
        assertTrue(ok.stdout().contains("ping"), "echoed: " + ok);
        SClient refused = SClient.run(dir.resolve("s_client"), t.port("server"), List.of("-cert",
                hsm.pki().untrustedClient().certFile().toString(), "-key", hsm.pki().untrustedClient().keyFile().toString()),
                "ping\n", Duration.ofMillis(3000), "ping");
        assertTrue(!refused.stdout().contains("\nping"), refused.toString());
        t.awaitLog(Pattern.compile("CERT: Pre-verification error: unable to get local issuer certificate"));
    }
}
