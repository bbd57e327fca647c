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
 * {@code protocol = pop3} (protocol.c pop3_*), both modes, with python's poplib and openssl
 * s_client -starttls pop3: server mode relays the greeting with " + stunnel", answers CAPA with STLS
 * and starts TLS on STLS; client mode passes the greeting on and sends STLS to the server.
 */
class Pop3Test extends EcPkiTestSupport {
    /** A plain POP3 server behind a server-mode tunnel. */
    private static ScriptedPeer backend() {
        return new ScriptedPeer(2, (w, peer) -> {
            w.line("+OK scripted POP3 ready");
            for (String l; (l = w.readLine()) != null; ) {
                peer.note(l.toUpperCase());
                if (l.equalsIgnoreCase("STAT")) w.line("+OK 2 320");
                else if (l.equalsIgnoreCase("QUIT")) {
                    w.line("+OK bye");
                    return;
                } else w.line("-ERR unexpected");
            }
        });
    }

    private TunnelProcess tunnel(boolean client, int port) {
        return res.add(TunnelProcess.start(dir, "tunnel", new StunnelConfig().global("debug", "debug")
                .service("pop3", s -> {
                    s.accept("127.0.0.1:0").connect(port).set("protocol", "pop3");
                    if (client) s.client();
                    else s.identity(pki.server());
                })));
    }

    @Test
    void serverModeWithPoplib() throws Exception {
        ScriptedPeer backend = res.add(backend());
        TunnelProcess tunnel = tunnel(false, backend.port());
        String out = Clients.python(dir, """
                import poplib, ssl, sys
                ctx = ssl.create_default_context(cafile=sys.argv[2]); ctx.check_hostname = False
                p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)
                print('welcome', p.getwelcome().decode())
                p.stls(context=ctx)
                print('stat', p.stat())
                p.quit()
                """, tunnel.port("pop3"), pki.caFile());
        assertTrue(out.contains("welcome +OK scripted POP3 ready + stunnel"), out);
        assertTrue(out.contains("stat (2, 320)"), out);
        backend.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("STAT", "QUIT"), backend.notes()); // CAPA and STLS stayed with the tunnel
    }

    @Test
    void serverModeWithOpensslStarttls() throws Exception {
        ScriptedPeer backend = res.add(backend());
        TunnelProcess tunnel = tunnel(false, backend.port());
        Clients.Result r = Clients.run(dir, "STAT\nQUIT\n", List.of("openssl", "s_client", "-starttls", "pop3",
                "-connect", "127.0.0.1:" + tunnel.port("pop3"), "-CAfile", pki.caFile().toString(), "-ign_eof", "-crlf"));
        assertTrue(r.output().contains("Verify return code: 0 (ok)"), r.output());
        assertTrue(r.output().contains("+OK 2 320"), r.output());
        backend.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("STAT", "QUIT"), backend.notes());
    }

    @Test
    void serverModeRefusesAClientThatDoesNotWantTls() throws Exception {
        ScriptedPeer backend = res.add(backend());
        TunnelProcess tunnel = tunnel(false, backend.port());
        try (Socket s = new Socket("127.0.0.1", tunnel.port("pop3"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            assertEquals("+OK scripted POP3 ready + stunnel", w.expectLine());
            w.line("USER alice");
        }
        tunnel.awaitLog(Pattern.compile("Client does not want TLS"));
    }

    /** A STLS-capable POP3 server for a client-mode tunnel. */
    private ScriptedPeer stlsServer(String greeting, String stlsReply) {
        SSLContext ctx = TlsPeer.context(pki.caFile(), pki.server());
        return new ScriptedPeer(2, (w, peer) -> {
            w.line(greeting);
            String l = w.readLine();
            if (l == null) return;
            peer.note(l);
            w.line(stlsReply);
            if (!stlsReply.startsWith("+OK")) {
                w.readLine();
                return;
            }
            w.startTls(ctx, true);
            while ((l = w.readLine()) != null) {
                peer.note("tls: " + l);
                if (l.equalsIgnoreCase("STAT")) w.line("+OK 1 42");
                else if (l.equalsIgnoreCase("QUIT")) {
                    w.line("+OK bye");
                    return;
                } else w.line("-ERR unexpected");
            }
        });
    }

    private static final String POPLIB = """
            import poplib, sys
            p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)
            print('welcome', p.getwelcome().decode())
            print('stat', p.stat())
            p.quit()
            """;

    @Test
    void clientModeWithPoplib() throws Exception {
        ScriptedPeer server = res.add(stlsServer("+OK scripted POP3 ready", "+OK begin TLS"));
        TunnelProcess tunnel = tunnel(true, server.port());
        String out = Clients.python(dir, POPLIB, tunnel.port("pop3"));
        assertTrue(out.contains("welcome +OK scripted POP3 ready"), out);
        assertTrue(out.contains("stat (1, 42)"), out);
        server.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("STLS", "tls: STAT", "tls: QUIT"), server.notes());
    }

    @Test
    void clientModeServerWithoutStls() throws Exception {
        ScriptedPeer server = res.add(stlsServer("+OK scripted POP3 ready", "-ERR no TLS here"));
        TunnelProcess tunnel = tunnel(true, server.port());
        Clients.Result r = Clients.run(dir, "", List.of("python3", "-c", POPLIB, "" + tunnel.port("pop3")));
        assertTrue(r.output().contains("welcome +OK scripted POP3 ready"), r.output());
        assertTrue(r.exit() != 0, "the session ends after the greeting: " + r.output());
        tunnel.awaitLog(Pattern.compile("Server does not support TLS"));
    }

    @Test
    void clientModeErrorGreeting() throws Exception {
        ScriptedPeer server = res.add(stlsServer("-ERR too busy", "+OK begin TLS"));
        TunnelProcess tunnel = tunnel(true, server.port());
        Clients.Result r = Clients.run(dir, "", List.of("python3", "-c", POPLIB, "" + tunnel.port("pop3")));
        assertTrue(r.exit() != 0 && !r.output().contains("too busy"), r.output()); // the greeting is not passed on
        tunnel.awaitLog(Pattern.compile("Unknown server welcome"));
    }
}
