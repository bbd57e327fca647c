package org.jstunnel.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
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
 * {@code protocol = imap} (protocol.c imap_*), both modes, with python's imaplib and openssl s_client
 * -starttls imap: server mode disables CAPABILITY in the greeting, adds STARTTLS to the server's
 * CAPABILITY reply and starts TLS on STARTTLS; client mode sends "stunnel STARTTLS" to the server.
 */
class ImapTest extends EcPkiTestSupport {
    /** An IMAP server (plain, or STARTTLS-first for client mode) answering CAPABILITY, NOOP and LOGOUT. */
    private ScriptedPeer server(String greeting, String starttlsReply) {
        SSLContext ctx = TlsPeer.context(pki.caFile(), pki.server());
        return new ScriptedPeer(2, (w, peer) -> {
            w.line(greeting);
            if (starttlsReply != null) {
                peer.note(w.expectLine());
                w.line(starttlsReply);
                if (!starttlsReply.startsWith("stunnel OK")) {
                    w.readLine();
                    return;
                }
                w.startTls(ctx, true);
            }
            for (String l; (l = w.readLine()) != null; ) {
                int sp = l.indexOf(' ');
                String tag = l.substring(0, Math.max(sp, 0)), cmd = l.substring(sp + 1).toUpperCase();
                peer.note(cmd);
                switch (cmd) {
                    case "CAPABILITY" -> w.write("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + " OK done\r\n");
                    case "NOOP" -> w.line(tag + " OK noop");
                    case "LOGOUT" -> {
                        w.write("* BYE logging out\r\n" + tag + " OK logout\r\n");
                        return;
                    }
                    default -> w.line(tag + " BAD unexpected");
                }
            }
        });
    }

    private TunnelProcess tunnel(boolean client, int port) {
        return res.add(TunnelProcess.start(dir, "tunnel", new StunnelConfig().global("debug", "debug")
                .service("imap", s -> {
                    s.accept("127.0.0.1:0").connect(port).set("protocol", "imap");
                    if (client) s.client();
                    else s.identity(pki.server());
                })));
    }

    @Test
    void serverModeWithImaplib() throws Exception {
        ScriptedPeer backend = res.add(server("* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] scripted ready", null));
        TunnelProcess tunnel = tunnel(false, backend.port());
        String out = Clients.python(dir, """
                import imaplib, ssl, sys
                ctx = ssl.create_default_context(cafile=sys.argv[2]); ctx.check_hostname = False
                m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=20)
                print('welcome', m.welcome.decode())
                print('caps', m.capabilities)
                m.starttls(ssl_context=ctx)
                print('caps2', m.capabilities)
                print('noop', m.noop())
                m.logout()
                """, tunnel.port("imap"), pki.caFile());
        assertTrue(out.contains("welcome * OK [KAPABILITY IMAP4rev1 LOGINDISABLED] scripted ready (stunnel)"), out);
        assertTrue(out.contains("caps ('IMAP4REV1', 'AUTH=PLAIN', 'STARTTLS')"), out);
        assertTrue(out.contains("caps2 ('IMAP4REV1', 'AUTH=PLAIN')"), out);
        assertTrue(out.contains("noop ('OK', [b'noop'])"), out);
        backend.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("CAPABILITY", "CAPABILITY", "NOOP", "LOGOUT"), backend.notes());
    }

    @Test
    void serverModeWithOpensslStarttls() throws Exception {
        ScriptedPeer backend = res.add(server("* OK scripted ready", null));
        TunnelProcess tunnel = tunnel(false, backend.port());
        Clients.Result r = Clients.run(dir, "a1 NOOP\na2 LOGOUT\n", List.of("openssl", "s_client", "-starttls", "imap",
                "-connect", "127.0.0.1:" + tunnel.port("imap"), "-CAfile", pki.caFile().toString(), "-ign_eof", "-crlf"));
        assertTrue(r.output().contains("Verify return code: 0 (ok)"), r.output());
        assertTrue(r.output().contains("a1 OK noop"), r.output());
        backend.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals("NOOP", backend.notes().get(backend.notes().size() - 2));
    }

    @Test
    void serverModeUnexpectedCommandEndsWithACleanLogout() throws Exception {
        ScriptedPeer backend = res.add(server("* OK scripted ready", null));
        TunnelProcess tunnel = tunnel(false, backend.port());
        try (Socket s = new Socket("127.0.0.1", tunnel.port("imap"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            assertEquals("* OK scripted ready (stunnel)", w.expectLine());
            w.line("a1 LOGIN alice secret");
            assertEquals("* BYE stunnel: unexpected command", w.expectLine());
            assertEquals("a1 BAD LOGIN alice secret unexpected", w.expectLine());
        }
        backend.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("LOGOUT"), backend.notes()); // "stunnel LOGOUT": the server is left cleanly
        tunnel.awaitLog(Pattern.compile("Unexpected client command LOGIN alice secret"));
    }

    private static final String IMAPLIB = """
            import imaplib, sys
            m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=20)
            print('welcome', m.welcome.decode())
            print('noop', m.noop())
            m.logout()
            """;

    @Test
    void clientModeWithImaplib() throws Exception {
        ScriptedPeer server = res.add(server("* OK scripted ready", "stunnel OK begin TLS"));
        TunnelProcess tunnel = tunnel(true, server.port());
        String out = Clients.python(dir, IMAPLIB, tunnel.port("imap"));
        assertTrue(out.contains("welcome * OK Connected."), out);
        assertTrue(out.contains("noop ('OK', [b'noop'])"), out);
        server.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("stunnel STARTTLS", "CAPABILITY", "NOOP", "LOGOUT"), server.notes());
    }

    @Test
    void clientModeServerWithoutStarttls() throws Exception {
        ScriptedPeer server = res.add(server("* OK scripted ready", "stunnel BAD no TLS"));
        TunnelProcess tunnel = tunnel(true, server.port());
        try (Socket s = new Socket("127.0.0.1", tunnel.port("imap"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            assertEquals("* OK Connected.", w.expectLine());
            assertEquals("* BYE stunnel: Server does not support TLS", w.expectLine());
        }
        tunnel.awaitLog(Pattern.compile("Server does not support TLS"));
    }
}
