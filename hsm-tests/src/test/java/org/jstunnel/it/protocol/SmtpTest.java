package org.jstunnel.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jstunnel.it.attach.support.TlsPeer;
import org.jstunnel.it.protocol.support.Clients;
import org.jstunnel.it.protocol.support.ScriptedPeer;
import org.jstunnel.it.protocol.support.Wire;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * {@code protocol = smtp} (protocol.c smtp_client_* and smtp_server_middle), both modes, with python's
 * smtplib and openssl s_client as the mail clients and scripted mail servers. Server mode: the
 * client gets the server's greeting with " stunnel for", EHLO is answered with STARTTLS only, and
 * after "220 Go ahead" everything runs inside TLS to the plain backend. Client mode: the greeting is
 * passed on, EHLO and STARTTLS go to the server, then the client's session runs inside TLS.
 */
class SmtpTest extends EcPkiTestSupport {
    /** A plain SMTP server behind a server-mode tunnel: notes every line it gets. */
    static ScriptedPeer backend(String greeting) {
        return new ScriptedPeer(4, (w, peer) -> {
            w.line(greeting);
            for (String l; (l = w.readLine()) != null; ) {
                peer.note(l);
                String cmd = l.length() >= 4 ? l.substring(0, 4).toUpperCase() : l;
                switch (cmd) {
                    case "EHLO", "HELO" -> w.write("250-mail.example.com\r\n250 SIZE 1000\r\n");
                    case "NOOP" -> w.line("250 OK noop");
                    case "QUIT" -> {
                        w.line("221 bye");
                        return;
                    }
                    default -> w.line("500 unexpected");
                }
            }
        });
    }

    private TunnelProcess server(int backendPort) {
        return res.add(TunnelProcess.start(dir, "tunnel", new StunnelConfig().global("debug", "debug")
                .service("smtp", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(backendPort)
                        .set("protocol", "smtp"))));
    }

    private static final String SMTPLIB = """
            import smtplib, ssl, sys
            ctx = ssl.create_default_context(cafile=sys.argv[2]); ctx.check_hostname = False
            s = smtplib.SMTP(timeout=20)
            code, msg = s.connect('127.0.0.1', int(sys.argv[1]))
            print('greeting', code, msg.decode())
            s._host = '127.0.0.1'  # smtplib sends it as SNI
            s.ehlo('client.example')
            print('before', sorted(s.esmtp_features))
            s.starttls(context=ctx)
            s.ehlo('client.example')
            print('after', sorted(s.esmtp_features))
            print('noop', s.noop())
            s.quit()
            """;

    @Test
    void serverModeWithSmtplib() throws Exception {
        ScriptedPeer backend = res.add(backend("220 mail.example.com ESMTP scripted"));
        TunnelProcess tunnel = server(backend.port());
        String out = Clients.python(dir, SMTPLIB, tunnel.port("smtp"), pki.caFile());
        assertTrue(out.contains("greeting 220 mail.example.com stunnel for ESMTP scripted"), out);
        assertTrue(out.contains("before ['starttls']"), out); // stunnel's own EHLO reply
        assertTrue(out.contains("after ['size']"), out);      // the backend's, inside TLS
        assertTrue(out.contains("noop (250, b'OK noop')"), out);
        backend.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("ehlo client.example", "noop", "quit"), backend.notes());
        tunnel.awaitLog(Pattern.compile("RFC 2487 detected"));
    }

    @Test
    void serverModeWithOpensslStarttls() throws Exception {
        ScriptedPeer backend = res.add(backend("220 mail.example.com ESMTP scripted"));
        TunnelProcess tunnel = server(backend.port());
        Clients.Result r = Clients.run(dir, "NOOP\r\nQUIT\r\n", List.of("openssl", "s_client", "-starttls", "smtp",
                "-connect", "127.0.0.1:" + tunnel.port("smtp"), "-CAfile", pki.caFile().toString(), "-ign_eof", "-crlf"));
        assertTrue(r.output().contains("Verify return code: 0 (ok)"), r.output());
        assertTrue(r.output().contains("250 OK noop"), r.output());
        assertTrue(r.output().contains("221 bye"), r.output());
        backend.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("NOOP", "QUIT"), backend.notes());
    }

    @Test
    void serverModeRefusesAnErrorGreeting() throws Exception {
        ScriptedPeer backend = res.add(backend("554 no service here"));
        TunnelProcess tunnel = server(backend.port());
        try (Socket s = new Socket("127.0.0.1", tunnel.port("smtp"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            String got;
            try {
                got = new Wire(s).readAll();
            } catch (java.net.SocketException reset) {
                got = ""; // stunnel ends with a reset
            }
            assertEquals("", got, "no greeting reaches the client");
        }
        tunnel.awaitLog(Pattern.compile("Unknown server welcome"));
    }

    /** STARTTLS command injection: "RSET" sent with STARTTLS, before TLS, never reaches the server. */
    @Test
    void serverModeNeverDeliversPlaintextSentWithStarttls() throws Exception {
        ScriptedPeer backend = res.add(backend("220 mail.example.com ESMTP scripted"));
        TunnelProcess tunnel = server(backend.port());
        try (Socket s = new Socket("127.0.0.1", tunnel.port("smtp"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            assertEquals("220 mail.example.com stunnel for ESMTP scripted", w.expectLine());
            w.line("EHLO client.example");
            assertEquals("250-mail.example.com", w.expectLine());
            assertEquals("250 STARTTLS", w.expectLine());
            w.write("STARTTLS\r\nRSET\r\n");
            assertEquals("220 Go ahead", w.expectLine());
            boolean tls;
            try {
                w.startTls(TlsPeer.context(pki.caFile(), null), false);
                w.line("NOOP");
                assertEquals("250 OK noop", w.expectLine());
                w.line("QUIT");
                assertEquals("221 bye", w.expectLine());
                tls = true;
            } catch (java.io.IOException e) {
                tls = false; // stunnel feeds "RSET" to the handshake, which fails
            }
            if (Clients.jstunnel()) {
                assertTrue(tls, "jstunnel drops the injected plaintext and the handshake succeeds");
                tunnel.awaitLog(Pattern.compile("Discarded 6 byte\\(s\\) of plaintext received before the TLS handshake"));
            }
        }
        Thread.sleep(300);
        assertFalse(backend.notes().contains("RSET"), "injected command delivered: " + backend.notes());
    }

    /** A STARTTLS mail server for a client-mode tunnel; inside TLS it echoes SMTP-style. */
    private ScriptedPeer starttlsServer(String starttlsReply, String injected, boolean expectAuth) {
        SSLContext ctx = TlsPeer.context(pki.caFile(), pki.server());
        return new ScriptedPeer(2, (w, peer) -> {
            w.write("220-mail.example.com ESMTP\r\n220 ready\r\n");
            peer.note(w.expectLine());
            w.write("250-mail.example.com\r\n250 STARTTLS\r\n");
            peer.note(w.expectLine());
            w.write(starttlsReply + "\r\n" + injected);
            if (!starttlsReply.startsWith("220")) {
                w.readLine();
                return;
            }
            w.startTls(ctx, true);
            if (expectAuth) {
                peer.note(w.expectLine()); // EHLO (stunnel 5.68: HELO)
                w.line("250 hello");
                String auth = w.expectLine();
                peer.note(auth.startsWith("AUTH PLAIN ")
                        ? "AUTH PLAIN " + new String(Base64.getDecoder().decode(auth.substring(11)), StandardCharsets.ISO_8859_1)
                        .replace('\0', '|') : auth);
                w.line("235 authenticated");
            }
            for (String l; (l = w.readLine()) != null; ) {
                peer.note("tls: " + l);
                if (l.equalsIgnoreCase("QUIT")) {
                    w.line("221 bye");
                    return;
                }
                w.line("250 echo " + l);
            }
        });
    }

    private TunnelProcess client(int serverPort, String... extra) {
        return res.add(TunnelProcess.start(dir, "tunnel", new StunnelConfig().global("debug", "debug")
                .service("smtp", s -> {
                    s.client().accept("127.0.0.1:0").connect(serverPort).set("protocol", "smtp");
                    for (int i = 0; i + 1 < extra.length; i += 2) s.set(extra[i], extra[i + 1]);
                })));
    }

    private static final String PLAIN_SMTPLIB = """
            import smtplib, sys
            s = smtplib.SMTP(timeout=20)
            code, msg = s.connect('127.0.0.1', int(sys.argv[1]))
            print('greeting', code, msg.decode().replace(chr(10), '|'))
            print('noop', s.noop())
            s.quit()
            """;

    @Test
    void clientModeWithSmtplib() throws Exception {
        ScriptedPeer server = res.add(starttlsServer("220 go ahead", "", false));
        TunnelProcess tunnel = client(server.port());
        String out = Clients.python(dir, PLAIN_SMTPLIB, tunnel.port("smtp"));
        assertTrue(out.contains("greeting 220 mail.example.com ESMTP|ready"), out);
        assertTrue(out.contains("noop (250, b'echo noop')"), out);
        server.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("EHLO localhost", "STARTTLS", "tls: noop", "tls: quit"), server.notes());
    }

    @Test
    void clientModeAuthenticatesWithPlainAndNeverLogsThePassword() throws Exception {
        ScriptedPeer server = res.add(starttlsServer("220 go ahead", "", true));
        TunnelProcess tunnel = client(server.port(), "protocolUsername", "relay", "protocolPassword", "s3cret-pw");
        String out = Clients.python(dir, PLAIN_SMTPLIB, tunnel.port("smtp"));
        assertTrue(out.contains("noop (250, b'echo noop')"), out);
        server.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals("AUTH PLAIN |relay|s3cret-pw", server.notes().get(3));
        if (Clients.jstunnel()) {
            assertEquals("EHLO localhost", server.notes().get(2)); // stunnel 5.75; 5.68 sends HELO
            String log = java.nio.file.Files.readString(tunnel.logFile());
            assertFalse(log.contains("s3cret-pw"), log);
            assertFalse(log.contains(Base64.getEncoder().encodeToString("\0relay\0s3cret-pw".getBytes(StandardCharsets.US_ASCII))), log);
        }
    }

    @Test
    void clientModeRefusedStarttls() throws Exception {
        ScriptedPeer server = res.add(starttlsServer("454 TLS not available", "", false));
        TunnelProcess tunnel = client(server.port());
        try (Socket s = new Socket("127.0.0.1", tunnel.port("smtp"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            assertEquals("220-mail.example.com ESMTP", w.expectLine());
            assertEquals("220 ready", w.expectLine());
            String rest;
            try {
                rest = w.readLine();
            } catch (java.net.SocketException reset) {
                rest = null;
            }
            assertNull(rest, "the connection ends after the greeting");
        }
        tunnel.awaitLog(Pattern.compile("Remote server is not RFC 2487 compliant"));
    }

    /** A server's plaintext after its "220" to STARTTLS (response injection) never reaches the client. */
    @Test
    void clientModeNeverDeliversPlaintextSentAfterStarttls() throws Exception {
        ScriptedPeer server = res.add(starttlsServer("220 go ahead", "250 INJECTED\r\n", false));
        TunnelProcess tunnel = client(server.port());
        Clients.Result r = Clients.run(dir, "", List.of("python3", "-c", PLAIN_SMTPLIB, "" + tunnel.port("smtp")));
        assertFalse(r.output().contains("INJECTED"), r.output());
        if (Clients.jstunnel()) {
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("noop (250, b'echo noop')"), r.output());
            tunnel.awaitLog(Pattern.compile("Discarded 14 byte\\(s\\) of plaintext received before the TLS handshake"));
        }
    }
}
