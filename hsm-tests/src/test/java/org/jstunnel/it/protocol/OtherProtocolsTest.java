package org.jstunnel.it.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.Socket;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jstunnel.it.attach.support.TlsPeer;
import org.jstunnel.it.protocol.support.ScriptedPeer;
import org.jstunnel.it.protocol.support.Wire;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * nntp and ldap (client mode only), cifs (both modes) and the over-long line guard, against scripted
 * servers that check stunnel's bytes on the wire, then echo inside TLS.
 */
class OtherProtocolsTest extends EcPkiTestSupport {
    private static final String LDAP_START_TLS = "301d02010177188016312e332e362e312e342e312e313436362e3230303337";

    /** A server that runs {@code plain} on the plain socket; if it returns true, TLS and an echo follow. */
    private ScriptedPeer server(ScriptedPeer.Script plain) {
        SSLContext ctx = TlsPeer.context(pki.caFile(), pki.server());
        return new ScriptedPeer(2, (w, peer) -> {
            plain.run(w, peer);
            if (!peer.notes().contains("tls")) {
                w.readLine();
                return;
            }
            w.startTls(ctx, true);
            for (String l; (l = w.readLine()) != null; ) w.line("echo " + l);
        });
    }

    private int tunnels;

    private TunnelProcess client(String protocol, int port) {
        return res.add(TunnelProcess.start(dir, "tunnel" + tunnels++, new StunnelConfig().global("debug", "debug")
                .service("svc", s -> s.client().accept("127.0.0.1:0").connect(port).set("protocol", protocol))));
    }

    /** Connects, reads {@code greeting} lines, sends one line; returns the reply (null: closed). */
    private static String talk(TunnelProcess t, int greeting, String line) throws Exception {
        try (Socket s = new Socket("127.0.0.1", t.port("svc"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            for (int i = 0; i < greeting; i++) w.expectLine();
            w.line(line);
            try {
                return w.readLine();
            } catch (java.net.SocketException reset) {
                return null;
            }
        }
    }

    @Test
    void nntpStarttls() throws Exception {
        ScriptedPeer ok = res.add(server((w, p) -> {
            w.line("200 news.example ready");
            p.note(w.expectLine());
            w.line("382 continue with TLS");
            p.note("tls");
        }));
        TunnelProcess t = client("nntp", ok.port());
        assertEquals("echo LIST", talk(t, 1, "LIST"));
        assertEquals(List.of("STARTTLS", "tls"), ok.notes());

        ScriptedPeer refusing = res.add(server((w, p) -> {
            w.line("200 news.example ready");
            w.expectLine();
            w.line("502 no TLS");
        }));
        t = client("nntp", refusing.port());
        assertNull(talk(t, 1, "LIST"));
        t.awaitLog(Pattern.compile("Server does not support TLS"));
    }

    private static byte[] ldapResponse(int result) {
        return new byte[] {0x30, 0x0c, 0x02, 0x01, 0x01, 0x78, 0x07, 0x0a, 0x01, (byte) result, 0x04, 0x00, 0x04, 0x00};
    }

    @Test
    void ldapStartTls() throws Exception {
        ScriptedPeer ok = res.add(server((w, p) -> {
            p.note(HexFormat.of().formatHex(w.read(31)));
            w.write(ldapResponse(0));
            p.note("tls");
        }));
        TunnelProcess t = client("ldap", ok.port());
        assertEquals("echo search", talk(t, 0, "search"));
        assertEquals(List.of(LDAP_START_TLS, "tls"), ok.notes());
        t.awaitLog(Pattern.compile("LDAP Start TLS successfully negotiated"));
    }

    @Test
    void ldapErrorAndOverLongResponse() throws Exception {
        ScriptedPeer refusing = res.add(server((w, p) -> {
            w.read(31);
            w.write(ldapResponse(2));
        }));
        TunnelProcess t = client("ldap", refusing.port());
        assertNull(talk(t, 0, "search"));
        t.awaitLog(Pattern.compile("LDAP response has indicated an error \\(2\\)"));

        ScriptedPeer tooLong = res.add(server((w, p) -> {
            w.read(31);
            w.write(new byte[] {0x30, (byte) 0x84, 0, 0, 1, 0}); // WinLDAP length: 256 bytes
        }));
        t = client("ldap", tooLong.port());
        assertNull(talk(t, 0, "search"));
        t.awaitLog(Pattern.compile("LDAP response too long \\(256 byte\\(s\\)\\)"));
    }

    @Test
    void cifsClient() throws Exception {
        ScriptedPeer ok = res.add(server((w, p) -> {
            p.note(HexFormat.of().formatHex(w.read(4)));
            w.write(new byte[] {(byte) 0x83, 0, 0, 1, (byte) 0x8e});
            p.note("tls");
        }));
        TunnelProcess t = client("cifs", ok.port());
        assertEquals("echo smb", talk(t, 0, "smb"));
        assertEquals(List.of("81000000", "tls"), ok.notes());

        ScriptedPeer plainOnly = res.add(server((w, p) -> {
            w.read(4);
            w.write(new byte[] {(byte) 0x83, 0, 0, 1, (byte) 0x8f});
        }));
        t = client("cifs", plainOnly.port());
        assertNull(talk(t, 0, "smb"));
        t.awaitLog(Pattern.compile("Remote server does not require TLS"));
    }

    @Test
    void cifsServer() throws Exception {
        ScriptedPeer backend = res.add(new ScriptedPeer(1, (w, p) -> {
            for (String l; (l = w.readLine()) != null; ) w.line("echo " + l);
        }));
        TunnelProcess t = res.add(TunnelProcess.start(dir, "tunnel", new StunnelConfig()
                .service("svc", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(backend.port())
                        .set("protocol", "cifs"))));
        try (Socket s = new Socket("127.0.0.1", t.port("svc"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            w.write(new byte[] {(byte) 0x81, 0, 0, 4, 1, 2, 3, 4});
            assertArrayEquals(new byte[] {(byte) 0x83, 0, 0, 1, (byte) 0x8e}, w.read(5));
            w.startTls(TlsPeer.context(pki.caFile(), null), false);
            w.line("smb over tls");
            assertEquals("echo smb over tls", w.expectLine());
        }
        try (Socket s = new Socket("127.0.0.1", t.port("svc"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            w.write(new byte[] {(byte) 0x85, 0, 0, 0});
            assertArrayEquals(new byte[] {(byte) 0x83, 0, 0, 1, (byte) 0x81}, w.read(5)); // access denied
        }
        t.awaitLog(Pattern.compile("Client did not send session setup"));
        try (Socket s = new Socket("127.0.0.1", t.port("svc"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            w.write(new byte[] {(byte) 0x81, 0, 0, (byte) 200});
            assertEquals("", w.readAllQuietly());
        }
        t.awaitLog(Pattern.compile("Received block too long"));
    }

    @Test
    void overLongLineIsRefused() throws Exception {
        ScriptedPeer flood = res.add(new ScriptedPeer(1, (w, p) -> {
            w.write("200 " + "x".repeat(70_000)); // no end of line within stunnel's 64 KiB
            w.readLine();
        }));
        TunnelProcess t = client("nntp", flood.port());
        try (Socket s = new Socket("127.0.0.1", t.port("svc"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            assertEquals("", new Wire(s).readAllQuietly());
        }
        t.awaitLog(Pattern.compile("fd_getline: Line too long"));
    }
}
