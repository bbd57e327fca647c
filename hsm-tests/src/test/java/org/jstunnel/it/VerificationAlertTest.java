package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.OpenSslClient;
import org.jstunnel.it.support.OpenSslServer;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Peer verification failures end the handshake with the right TLS alert (as the peer's openssl
 * reports it) and the right log lines, and no byte reaches the backend.
 */
class VerificationAlertTest extends EcPkiTestSupport {
    private static final String SERVICE = "verify";


    /** Server mode requiring a client certificate: verifyChain against the root, or verifyPeer against the client's own certificate. */
    private TunnelProcess verifyingServer(String mode, int backendPort) {
        return res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig().service(SERVICE, s -> {
            s.accept("127.0.0.1:0").connect(backendPort).identity(pki.server());
            if (mode.equals("verifyPeer")) {
                s.set("CAfile", pki.client().certFile()).set("verifyPeer", "yes");
            } else {
                s.set("CAfile", pki.caFile()).set("verifyChain", "yes");
            }
        })));
    }

    /** Runs s_client with stdin held open, so it reads the server's alert after a TLS 1.3 handshake; returns its stderr. */
    private OpenSslClient sClient(int port, String versionFlag, TestPki.Entity identity) {
        List<String> args = new ArrayList<>(OpenSslClient.verifying(pki.caFile()));
        args.add(versionFlag);
        if (identity != null) {
            args.addAll(List.of("-cert", identity.certFile().toString(), "-key", identity.keyFile().toString()));
        }
        return res.add(OpenSslClient.connect(dir, "s_client", port, args));
    }

    private static void assertAlert(String stderr, String alert, int number) {
        assertTrue(stderr.contains(alert), "expected '" + alert + "' in s_client's output:\n" + stderr);
        assertTrue(stderr.contains("SSL alert number " + number), "expected alert number " + number + " in:\n" + stderr);
    }

    private static ConnectionLog assertRefused(TunnelProcess tunnel, EchoBackend echo, String status) {
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, 0);
        log.requireAbsent(StunnelLog.TLS_ACCEPTED);
        log.requireAbsent(StunnelLog.TLS_CONNECTED);
        ConnectionLog.End end = log.end();
        assertEquals(status, end.status(), end.line().raw());
        assertEquals(0, end.sentToTls(), end.line().raw());
        assertEquals(0, end.sentToSocket(), end.line().raw());
        if (echo != null) {
            assertEquals(0, echo.connections().size(), "the backend must not be contacted before the peer is verified");
        }
        return log;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "verifyChain, -tls1_3, tlsv13 alert certificate required, 116",
        "verifyChain, -tls1_2, alert handshake failure, 40",
        "verifyPeer, -tls1_3, tlsv13 alert certificate required, 116",
        "verifyPeer, -tls1_2, alert handshake failure, 40",
    })
    void missingClientCertificateIsRefused(String mode, String versionFlag, String alert, int number) {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = verifyingServer(mode, echo.port());

        OpenSslClient client = sClient(tunnel.port(SERVICE), versionFlag, null);
        assertNotEquals(0, client.awaitExit(), "s_client must fail");
        assertAlert(client.stderr(), alert, number);

        ConnectionLog log = assertRefused(tunnel, echo, "reset/closed");
        log.require(StunnelLog.sslError("SSL_accept", "peer did not return a certificate"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "verifyChain, -tls1_3, tlsv1 alert unknown ca, 48",
        "verifyChain, -tls1_2, tlsv1 alert unknown ca, 48",
        // verifyPeer ignores the chain error and then finds no such certificate in CAfile: "bad certificate"
        "verifyPeer, -tls1_3, sslv3 alert bad certificate, 42",
        "verifyPeer, -tls1_2, sslv3 alert bad certificate, 42",
    })
    void untrustedClientCertificateIsRefused(String mode, String versionFlag, String alert, int number) {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = verifyingServer(mode, echo.port());

        OpenSslClient client = sClient(tunnel.port(SERVICE), versionFlag, pki.untrustedClient());
        assertNotEquals(0, client.awaitExit(), "s_client must fail");
        assertAlert(client.stderr(), alert, number);

        ConnectionLog log = assertRefused(tunnel, echo, "reset/closed");
        log.require(StunnelLog.rejectedByCert(0, TestPki.UNTRUSTED_CLIENT_CN));
        log.require(StunnelLog.sslError("SSL_accept", "certificate verify failed"));
        if (mode.equals("verifyPeer")) {
            log.require(StunnelLog.CERT_NOT_IN_LOCAL_REPOSITORY);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"verifyChain, -tls1_3", "verifyChain, -tls1_2", "verifyPeer, -tls1_3", "verifyPeer, -tls1_2"})
    void trustedClientCertificateIsAccepted(String mode, String versionFlag) {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = verifyingServer(mode, echo.port());
        Payload payload = Payload.of(1000);

        OpenSslClient client = sClient(tunnel.port(SERVICE), versionFlag, pki.client());
        client.send(payload);
        assertEquals(payload.digest(), client.awaitReceived(payload.size(), Timeouts.TRANSFER));
        client.closeInput();
        assertEquals(0, client.awaitExit());

        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, 0);
        log.requireInOrder(StunnelLog.accepted(SERVICE), StunnelLog.TLS_ACCEPTED, StunnelLog.closed(1000, 1000));
        if (mode.equals("verifyChain")) {
            log.require(StunnelLog.certificateAccepted(0, TestPki.CLIENT_CN));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void clientModeRefusesAnUntrustedServerWithUnknownCa(String version) {
        OpenSslServer server = res.add(OpenSslServer.startRev(dir, "s_server", pki.untrustedServer(), List.of()));
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig().service(SERVICE, s -> s
                .client().accept("127.0.0.1:0").connect(server.port())
                .set("CAfile", pki.caFile()).set("verifyChain", "yes").set("checkHost", "localhost")
                .set("sslVersion", version))));

        Exchange ex = PlainClient.exchange(tunnel.port(SERVICE), "abc\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, ex.received().count(), "nothing may come back from an unverified server");

        String peer = server.awaitStderr(Pattern.compile("SSL alert number \\d+"));
        assertAlert(peer, "tlsv1 alert unknown ca", 48);

        ConnectionLog log = assertRefused(tunnel, null, "closed/reset");
        log.require(StunnelLog.rejectedByCert(0, TestPki.SERVER_CN));
        log.require(StunnelLog.sslError("SSL_connect", "certificate verify failed"));
    }
}
