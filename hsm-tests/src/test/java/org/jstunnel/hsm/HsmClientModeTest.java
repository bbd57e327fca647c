package org.jstunnel.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.hsm.support.HsmFixture;
import org.jstunnel.hsm.support.HsmTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.OpenSslServer;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.Stunnel4Process;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Client mode with the client key in the token, and interop with Debian's stunnel4: jstunnel
 * presents an HSM-held client certificate to {@code openssl s_server -Verify} and to a stunnel4
 * server that requires one; stunnel4 as a client of an HSM-keyed jstunnel server; and stunnel4
 * itself running jstunnel's very HSM configuration (the drop-in claim).
 */
class HsmClientModeTest extends HsmTestSupport {
    private static final String SERVICE = "hsm";

    private StunnelConfig.Section clientIdentity(StunnelConfig.Section s, String keyType) {
        boolean rsa = keyType.equals("RSA");
        return s.set("engineId", "pkcs11")
                .set("cert", rsa ? hsm.rsaClientCert() : hsm.ecClientCert())
                .set("key", hsm.token().uri(rsa ? HsmFixture.RSA_CLIENT : HsmFixture.EC_CLIENT));
    }

    @ParameterizedTest(name = "{0} client key, {1}")
    @CsvSource({"RSA, TLSv1.2", "EC, TLSv1.3", "RSA, TLSv1.3", "EC, TLSv1.2"})
    void presentsTheTokenClientCertificateToSServer(String keyType, String version) {
        OpenSslServer server = res.add(OpenSslServer.startRev(dir, "s_server", hsm.pki().server(),
                List.of("-Verify", "1", "-CAfile", hsm.caFile().toString(), "-verify_return_error")));
        TunnelProcess tunnel = res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel", hsm.engineConfig()
                .service(SERVICE, s -> clientIdentity(s.client().accept("127.0.0.1:0").connect(server.port())
                        .set("CAfile", hsm.caFile()).set("verifyChain", "yes").set("checkHost", "localhost")
                        .set("sslVersion", version), keyType))).awaitReady());

        Exchange ex = PlainClient.exchange(tunnel.port(SERVICE), "hello token\n".getBytes(StandardCharsets.US_ASCII))
                .requireSuccess();
        assertEquals("nekot olleh\n", ex.receivedText(), "s_server -rev answered through the tunnel");
        String err = server.awaitStderr(Pattern.compile("Protocol version: " + Pattern.quote(version)));
        assertTrue(err.contains(HsmFixture.CLIENT_CN), "s_server saw the HSM client certificate:\n" + err);
        tunnel.awaitLog(Pattern.compile("Private key initialized on engine ID: pkcs11:token=.*"));
        tunnel.awaitLog(Pattern.compile("Client certificate engine \\(pkcs11\\) (enabled|not supported)"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TLSv1.2", "TLSv1.3"})
    void stunnel4ServerAcceptsTheTokenClientCertificate(String version) {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess stunnel4 = res.add(Stunnel4Process.start(dir, "stunnel4", new StunnelConfig()
                .service("server", s -> s.accept("127.0.0.1:0").connect(echo.port()).identity(hsm.pki().server())
                        .set("CAfile", hsm.caFile()).set("verifyChain", "yes").set("requireCert", "yes")
                        .set("sslVersion", version))));
        TunnelProcess tunnel = res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel", hsm.engineConfig()
                .service(SERVICE, s -> clientIdentity(s.client().accept("127.0.0.1:0").connect(stunnel4.port("server"))
                        .set("CAfile", hsm.caFile()).set("verifyChain", "yes").set("checkHost", "localhost"),
                        version.equals("TLSv1.2") ? "EC" : "RSA"))).awaitReady());
        Payload p = Payload.of(100_000);
        Exchange ex = PlainClient.exchange(tunnel.port(SERVICE), p).requireSuccess();
        assertEquals(p.digest(), ex.received(), "echoed through jstunnel(HSM client key) → stunnel4 → echo");
        stunnel4.awaitLog(Pattern.compile("Certificate accepted at depth=0: CN=" + Pattern.quote(HsmFixture.CLIENT_CN)));
        stunnel4.awaitLog(Pattern.compile(Pattern.quote(version) + " ciphersuite: .*"));
    }

    @Test
    void stunnel4ClientVerifiesTheTokenKeyedServer() {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel", hsm.engineConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(echo.port()).set("engineId", "pkcs11")
                        .set("cert", hsm.token().uri(HsmFixture.RSA)))).awaitReady());
        TunnelProcess stunnel4 = res.add(Stunnel4Process.start(dir, "stunnel4", new StunnelConfig()
                .service("client", s -> s.client().accept("127.0.0.1:0").connect(tunnel.port(SERVICE))
                        .set("CAfile", hsm.caFile()).set("verifyChain", "yes").set("checkHost", "localhost"))));
        Payload p = Payload.of(100_000);
        Exchange ex = PlainClient.exchange(stunnel4.port("client"), p).requireSuccess();
        assertEquals(p.digest(), ex.received(), "echoed through stunnel4 → jstunnel(HSM) → echo");
        stunnel4.awaitLog(Pattern.compile("Certificate accepted at depth=0: CN=" + Pattern.quote(TestPki.SERVER_CN)));
    }

    /** The configuration jstunnel runs is stunnel's: stunnel4 5.68 runs it unchanged against the same token. */
    @Test
    void stunnel4RunsTheSameHsmConfiguration() {
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig config = hsm.engineConfig().global("debug", "info")
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(echo.port()).set("engineId", "pkcs11")
                        .set("cert", hsm.token().uri(HsmFixture.RSA)));
        TunnelProcess stunnel4 = res.add(TunnelProcess.launch(hsm.stunnel4(dir), dir, "stunnel4", config).awaitReady());
        TunnelProcess jstunnel = res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel", config).awaitReady());
        for (TunnelProcess t : List.of(stunnel4, jstunnel)) {
            Payload p = Payload.of(10_000);
            var client = res.add(org.jstunnel.it.support.OpenSslClient.connect(dir, "s_client-" + t, t.port(SERVICE),
                    org.jstunnel.it.support.OpenSslClient.verifying(hsm.caFile())));
            client.send(p);
            assertEquals(p.digest(), client.awaitReceived(p.size(), org.jstunnel.it.support.Timeouts.TRANSFER), t.toString());
            client.closeInput();
            assertEquals(0, client.awaitExit(), t.toString());
            t.awaitLog(Pattern.compile("Private key initialized on engine ID: " + Pattern.quote(hsm.token().uri(HsmFixture.RSA))));
        }
    }
}
