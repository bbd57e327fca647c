package org.jstunnel.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.hsm.support.HsmFixture;
import org.jstunnel.hsm.support.HsmTestSupport;
import org.jstunnel.hsm.support.SoftHsm;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.Digest;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.OpenSslClient;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Server mode with the private key in a SoftHSM2 token, loaded through libp11's pkcs11 engine
 * configured as stunnel's manual shows: {@code openssl s_client} (TLS 1.2 and 1.3) → jstunnel → echo.
 */
class HsmServerModeTest extends HsmTestSupport {
    private static final String SERVICE = "hsm";

    /**
     * RSA: the manual's SoftHSM example, {@code cert = pkcs11:token=T;object=L} and no key (the key
     * defaults to the same URI), selected with {@code engineId}. EC: certificate file, {@code key}
     * a pkcs11 URI, selected with {@code engineNum = 1}.
     */
    private TunnelProcess server(String keyType, int backendPort) {
        StunnelConfig config = hsm.engineConfig().service(SERVICE, s -> {
            s.accept("127.0.0.1:0").connect(backendPort);
            if (keyType.equals("RSA")) {
                s.set("engineId", "pkcs11").set("cert", hsm.token().uri(HsmFixture.RSA));
            } else {
                s.set("engineNum", 1).set("cert", hsm.ecServerCert()).set("key", hsm.token().uri(HsmFixture.EC));
            }
        });
        return res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel", config).awaitReady());
    }

    @ParameterizedTest(name = "{0} key, {1}")
    @CsvSource({"RSA, TLSv1.2", "RSA, TLSv1.3", "EC, TLSv1.2", "EC, TLSv1.3"})
    void sClientHandshakesWithTheTokenKey(String keyType, String version) throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = server(keyType, echo.port());
        int size = 256 * 1024;
        Payload payload = Payload.of(size);
        Digest expected = payload.digest();
        List<String> args = new ArrayList<>(OpenSslClient.verifying(hsm.caFile()));
        args.add(version.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3");
        OpenSslClient client = res.add(OpenSslClient.connect(dir, "s_client", tunnel.port(SERVICE), args));
        client.send(payload);
        assertEquals(expected, client.awaitReceived(size, Timeouts.TRANSFER), "bytes echoed through the HSM-keyed tunnel");
        client.closeInput();
        assertEquals(0, client.awaitExit(), "s_client exit code (it verified the chain and host name)");
        assertTrue(client.stderr().contains("Protocol version: " + version), client.stderr());
        String keyAlg = keyType.equals("RSA") ? "RSA" : "ECDSA";
        if (version.equals("TLSv1.2")) {
            assertTrue(client.stderr().contains("Ciphersuite: ECDHE-" + keyAlg + "-"), client.stderr());
        }

        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, 0);
        log.requireInOrder(StunnelLog.accepted(SERVICE), StunnelLog.TLS_ACCEPTED, StunnelLog.closed(size, size));

        // stunnel's engine log lines, the PIN masked
        String uri = Pattern.quote(keyType.equals("RSA") ? hsm.token().uri(HsmFixture.RSA) : hsm.token().uri(HsmFixture.EC));
        tunnel.awaitLog(Pattern.compile("Enabling support for engine \"pkcs11\""));
        tunnel.awaitLog(Pattern.compile("Executing engine control command MODULE_PATH:" + Pattern.quote(SoftHsm.MODULE.toString())));
        tunnel.awaitLog(Pattern.compile("Executing engine control command PIN:\\*+"));
        tunnel.awaitLog(Pattern.compile("Engine #1 \\(pkcs11\\) initialized"));
        tunnel.awaitLog(Pattern.compile("Private key initialized on engine ID: " + uri));
        if (keyType.equals("RSA")) tunnel.awaitLog(Pattern.compile("Certificate loaded from engine ID: " + uri));
        assertPinNowhere(tunnel);
    }

    /** At debug level the PIN still reaches no log line, nor stderr (stunnel 5.68 logs it verbatim). */
    static void assertPinNowhere(TunnelProcess tunnel) throws Exception {
        String log = Files.readString(tunnel.logFile());
        assertTrue(log.contains("LOG7["), "the log is at debug level");
        assertFalse(log.contains(HsmFixture.PIN), "the PIN is in the log");
        assertFalse(tunnel.stderr().contains(HsmFixture.PIN), "the PIN is on stderr");
    }

    @Test
    void sameTokenServesTwoServicesWithDifferentKeys() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig config = hsm.engineConfig()
                .service("rsa", s -> s.accept("127.0.0.1:0").connect(echo.port()).set("engineId", "pkcs11")
                        .set("cert", hsm.rsaServerCert()).set("key", hsm.token().uri(HsmFixture.RSA)))
                .service("ec", s -> s.accept("127.0.0.1:0").connect(echo.port()).set("engineId", "pkcs11")
                        .set("cert", hsm.ecServerCert()).set("key", hsm.token().uri(HsmFixture.EC)));
        TunnelProcess tunnel = res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel", config).awaitReady());
        for (String svc : List.of("rsa", "ec")) {
            OpenSslClient c = res.add(OpenSslClient.connect(dir, "s_client-" + svc, tunnel.port(svc),
                    OpenSslClient.verifying(hsm.caFile())));
            c.send(Payload.of(1000));
            c.awaitReceived(1000, Timeouts.TRANSFER);
            c.closeInput();
            assertEquals(0, c.awaitExit(), svc);
        }
        assertPinNowhere(tunnel);
    }
}
