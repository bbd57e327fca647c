package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.OpenSslServer;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Client mode: plain client → the program under test (client = yes) → openssl s_server -rev. */
class ClientModeTest extends EcPkiTestSupport {
    private static final String SERVICE = "tls-out";
    private static final Pattern PROTOCOL = Pattern.compile("(?m)^Protocol version: (\\S+)$");
    private static final Pattern CIPHERSUITE = Pattern.compile("(?m)^Ciphersuite: (\\S+)$");


    private TunnelProcess clientTunnel(int serverPort, Consumer<StunnelConfig.Section> extra) {
        return res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig().service(SERVICE, s -> {
            s.client().accept("127.0.0.1:0").connect(serverPort)
                    .set("CAfile", pki.caFile()).set("verifyChain", "yes");
            extra.accept(s);
        })));
    }

    /** {@code lines} random lowercase lines; s_server -rev answers each reversed. */
    static String[] requestAndReply(int lines, int length) {
        SplittableRandom rnd = new SplittableRandom(lines * 31L + length);
        StringBuilder req = new StringBuilder();
        StringBuilder rep = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < length; j++) {
                line.append((char) ('a' + rnd.nextInt(26)));
            }
            req.append(line).append('\n');
            rep.append(line.reverse()).append('\n');
        }
        return new String[] {req.toString(), rep.toString()};
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), "no /" + p + "/ in:\n" + text);
        return m.group(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void negotiatesTheConfiguredVersionAndVerifiesTheServer(String version) {
        OpenSslServer server = res.add(OpenSslServer.startRev(dir, "s_server", pki.server(), List.of()));
        TunnelProcess tunnel = clientTunnel(server.port(),
                s -> s.set("checkHost", "localhost").set("sslVersion", version));
        String[] rr = requestAndReply(400, 120);

        Exchange ex = PlainClient.exchange(tunnel.port(SERVICE), rr[0].getBytes(StandardCharsets.US_ASCII)).requireSuccess();
        assertEquals(rr[1], ex.receivedText(), "s_server's reversed lines, delivered through the tunnel");

        String peer = server.awaitStderr(PROTOCOL);
        assertEquals(version, group(PROTOCOL, peer), "protocol s_server negotiated");
        String cipher = group(CIPHERSUITE, peer);

        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, ex.localPort());
        log.requireInOrder(StunnelLog.accepted(SERVICE, ex.localPort()), StunnelLog.sConnectConnected(server.port()),
                StunnelLog.connectedRemote(SERVICE), StunnelLog.certificateAccepted(0, TestPki.SERVER_CN),
                StunnelLog.TLS_CONNECTED, StunnelLog.closed(rr[0].length(), rr[1].length()));
        log.require(StunnelLog.ciphersuite(version, cipher));
        log.require(StunnelLog.certificateAccepted(1, TestPki.CA_CN));
    }

    @Test
    void presentsTheConfiguredClientCertificate() {
        OpenSslServer server = res.add(OpenSslServer.startRev(dir, "s_server", pki.server(),
                List.of("-Verify", "1", "-CAfile", pki.caFile().toString(), "-verify_return_error")));
        TunnelProcess tunnel = clientTunnel(server.port(), s -> s.identity(pki.client()));

        Exchange ex = PlainClient.exchange(tunnel.port(SERVICE), "hello tunnel\n".getBytes(StandardCharsets.US_ASCII))
                .requireSuccess();
        assertEquals("lennut olleh\n", ex.receivedText());
        String peer = server.awaitStderr(Pattern.compile("Peer certificate: "));
        assertTrue(peer.contains("Peer certificate: CN = " + TestPki.CLIENT_CN), peer);
        assertTrue(peer.contains("Verification: OK"), peer);
        ConnectionLog.awaitEnded(tunnel, SERVICE, ex.localPort()).require(StunnelLog.closed(13, 13));
    }

    @Test
    void checkIpMatchesTheIpSubjectAltName() {
        OpenSslServer server = res.add(OpenSslServer.startRev(dir, "s_server", pki.server(), List.of()));
        TunnelProcess tunnel = clientTunnel(server.port(), s -> s.set("checkIP", "127.0.0.1"));

        Exchange ex = PlainClient.exchange(tunnel.port(SERVICE), "abc\n".getBytes(StandardCharsets.US_ASCII)).requireSuccess();
        assertEquals("cba\n", ex.receivedText());
        ConnectionLog.awaitEnded(tunnel, SERVICE, ex.localPort()).require(StunnelLog.TLS_CONNECTED);
    }

    @Test
    void checkHostMismatchRejectsTheServer() {
        OpenSslServer server = res.add(OpenSslServer.startRev(dir, "s_server", pki.server(), List.of()));
        TunnelProcess tunnel = clientTunnel(server.port(), s -> s.set("checkHost", "not-localhost.example"));

        Exchange ex = PlainClient.exchange(tunnel.port(SERVICE), "abc\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, ex.received().count(), "nothing may pass an unverified server");

        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, ex.localPort());
        log.require(StunnelLog.rejectedByCert(0, TestPki.SERVER_CN));
        log.require(StunnelLog.sslError("SSL_connect", "certificate verify failed"));
        log.requireAbsent(StunnelLog.TLS_CONNECTED);
        ConnectionLog.End end = log.end();
        assertEquals(0, end.sentToTls(), end.line().raw());
        assertEquals(0, end.sentToSocket(), end.line().raw());
        // stunnel 5.68 sends "internal error" (80) here: the subject check fails inside the verify callback
        server.awaitStderr(Pattern.compile("SSL alert number \\d+"));
    }
}
