package org.jstunnel.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jstunnel.it.protocol.support.ScriptedPeer;
import org.jstunnel.it.protocol.support.Wire;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * {@code protocol = capwinctrl} and {@code capwin} (protocol.c capwin_*): a capwinctrl service takes
 * the credentials, the capwin client sends user and password inside TLS, the capwin server checks
 * them with an LDAP simple bind (a scripted LDAP server here) and answers BINGO or FAILED.
 */
class CapwinTest extends EcPkiTestSupport {
    private static final byte[] BIND_OK = {0x30, (byte) 0x84, 0, 0, 0, 0x10, 0x02, 0x01, 0x01, 0x61, (byte) 0x84, 0, 0,
        0, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00};

    @Test
    void credentialsBindAndTransfer() throws Exception {
        ScriptedPeer ldap = res.add(new ScriptedPeer(2, (w, peer) -> {
            byte[] head = w.read(2);
            String body = new String(w.read(head[1] & 0xff), StandardCharsets.ISO_8859_1);
            peer.note(body.substring(10).replace('\u0080', '|').replaceAll("[\\x00-\\x1f]", ""));
            byte[] resp = BIND_OK.clone();
            if (!body.endsWith("right-pw")) resp[17] = 49; // invalidCredentials
            w.write(resp);
        }));
        ScriptedPeer echo = res.add(new ScriptedPeer(1, (w, peer) -> {
            for (String l; (l = w.readLine()) != null; ) w.line("echo " + l);
        }));
        TunnelProcess server = res.add(TunnelProcess.start(dir, "server", new StunnelConfig().global("debug", "debug")
                .service("capwin", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(echo.port())
                        .set("protocol", "capwin").set("protocolHost", "127.0.0.1:" + ldap.port()))));
        TunnelProcess client = res.add(TunnelProcess.start(dir, "client", new StunnelConfig().global("debug", "debug")
                .service("ctrl", s -> s.client().accept("127.0.0.1:0").set("protocol", "capwinctrl"))
                .service("capwin", s -> s.client().accept("127.0.0.1:0").connect(server.port("capwin"))
                        .set("protocol", "capwin"))));

        setCredentials(client, "AUTH\u001fj,doe\u001fright-pw\u001f77\u001c");
        client.awaitLog(Pattern.compile("CapWIN: Credentials set"));
        assertEquals("echo hello", talk(client));
        server.awaitLog(Pattern.compile("CapWIN: Authentication succeeded"));
        client.awaitLog(Pattern.compile("CapWIN: Authentication succeeded"));

        setCredentials(client, "AUTH\u001fj,doe\u001fwrong-pw\u001f77\u001c");
        client.awaitLog(0, Pattern.compile("CapWIN: Credentials set"), 2);
        assertEquals(null, talk(client));
        server.awaitLog(Pattern.compile("CapWIN: Authentication failed"));
        client.awaitLog(Pattern.compile("CapWIN: Authentication failed"));
        ldap.awaitConnections(2, Timeouts.LOG_LINE);
        assertTrue(ldap.notes().get(0).startsWith("uid=j\\,doe,ou=people,O=CAPWIN,C=US|"), ldap.notes().toString());
    }

    private static void setCredentials(TunnelProcess client, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", client.port("ctrl"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            w.write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            w.readAllQuietly();
        }
    }

    private static String talk(TunnelProcess client) throws Exception {
        try (Socket s = new Socket("127.0.0.1", client.port("capwin"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            w.line("hello");
            try {
                return w.readLine();
            } catch (java.net.SocketException reset) {
                return null;
            }
        }
    }
}
