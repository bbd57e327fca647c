package org.jstunnel.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jstunnel.it.attach.support.TlsPeer;
import org.jstunnel.it.protocol.support.Clients;
import org.jstunnel.it.protocol.support.ScriptedPeer;
import org.jstunnel.it.protocol.support.Wire;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.HttpBackend;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code protocol = connect} (protocol.c connect_*): client mode asks an HTTP proxy (scripted here) for
 * a tunnel to {@code protocolHost}, with Basic or NTLM proxy authentication and the
 * {@code protocolHeader} lines in order, then runs TLS through it (SNI: protocolHost's host); server
 * mode (undocumented in stunnel) takes the CONNECT itself, before TLS, as curl --proxy sends it.
 */
class ConnectTest extends EcPkiTestSupport {
    /** The server challenge of davenport's NTLM example, and its NTLMv1 response for "SecREt01". */
    private static final String CHALLENGE = "0123456789abcdef";
    private static final String NTLM_RESPONSE = "25a98c1c31e81847466b29b2df4680f39958fb8c213a9cc6";

    /** An HTTP proxy: notes each request line, answers {@code status}; on 200, TLS to an echo server. */
    private ScriptedPeer proxy(String status, boolean ntlm) {
        SSLContext ctx = TlsPeer.context(pki.caFile(), pki.server());
        return new ScriptedPeer(2, (w, peer) -> {
            if (ntlm) {
                for (String l; !(l = w.expectLine()).isEmpty(); ) peer.note(l);
                byte[] type2 = new byte[48];
                System.arraycopy("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII), 0, type2, 0, 8);
                type2[8] = 2;
                System.arraycopy(HexFormat.of().parseHex(CHALLENGE), 0, type2, 24, 8);
                w.write("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM "
                        + Base64.getEncoder().encodeToString(type2) + "\r\nContent-Length: 5\r\n\r\nabcde");
            }
            for (String l; !(l = w.expectLine()).isEmpty(); ) peer.note(l);
            peer.note("");
            w.write(status + "\r\nProxy-Agent: scripted\r\n\r\n");
            if (!status.contains(" 200 ")) {
                w.readLine();
                return;
            }
            w.startTls(ctx, true);
            var names = ((ExtendedSSLSession) ((SSLSocket) w.socket()).getSession()).getRequestedServerNames();
            peer.note("SNI " + (names.isEmpty() ? "none" : ((SNIHostName) names.get(0)).getAsciiName()));
            for (String l; (l = w.readLine()) != null; ) w.line("echo " + l);
        });
    }

    private TunnelProcess client(int proxyPort, String... options) {
        return res.add(TunnelProcess.start(dir, "tunnel", new StunnelConfig().global("debug", "debug")
                .service("connect", s -> {
                    s.client().accept("127.0.0.1:0").connect(proxyPort).set("protocol", "connect")
                            .set("protocolHost", "backend.example:8443");
                    for (int i = 0; i + 1 < options.length; i += 2) s.set(options[i], options[i + 1]);
                })));
    }

    private static List<String> echo(int port, String line) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            w.line(line);
            List<String> got = new ArrayList<>();
            String l;
            try {
                l = w.readLine();
            } catch (java.net.SocketException reset) {
                l = null;
            }
            if (l != null) got.add(l);
            return got;
        }
    }

    @Test
    void clientModeBasicAuthenticationAndHeadersInOrder() throws Exception {
        ScriptedPeer proxy = res.add(proxy("HTTP/1.1 200 Connection established", false));
        TunnelProcess tunnel = client(proxy.port(), "protocolUsername", "alice", "protocolPassword", "pw-basic-1",
                "protocolHeader", "User-Agent: tunnel-test", "protocolHeader", "X-Order: second");
        assertEquals(List.of("echo hello through the proxy"), echo(tunnel.port("connect"), "hello through the proxy"));
        proxy.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("CONNECT backend.example:8443 HTTP/1.1", "Host: backend.example:8443",
                "Proxy-Authorization: basic " + Base64.getEncoder().encodeToString("alice:pw-basic-1".getBytes(StandardCharsets.US_ASCII)),
                "User-Agent: tunnel-test", "X-Order: second", "", "SNI backend.example"), proxy.notes());
        tunnel.awaitLog(Pattern.compile("CONNECT request accepted"));
        if (Clients.jstunnel()) {
            String log = java.nio.file.Files.readString(tunnel.logFile());
            assertTrue(!log.contains("pw-basic-1") && !log.contains("YWxpY2U6cHctYmFzaWMtMQ"), log);
        }
    }

    @Test
    void clientModeProxyRefuses() throws Exception {
        ScriptedPeer proxy = res.add(proxy("HTTP/1.1 407 Proxy Authentication Required", false));
        TunnelProcess tunnel = client(proxy.port());
        assertEquals(List.of(), echo(tunnel.port("connect"), "hello"));
        tunnel.awaitLog(Pattern.compile("CONNECT request rejected"));
    }

    private void ntlm(String... domain) throws Exception {
        ScriptedPeer proxy = res.add(proxy("HTTP/1.0 200 OK", true));
        List<String> options = new ArrayList<>(List.of("protocolUsername", "user", "protocolPassword", "SecREt01",
                "protocolAuthentication", "ntlm"));
        options.addAll(List.of(domain));
        TunnelProcess tunnel = client(proxy.port(), options.toArray(String[]::new));
        assertEquals(List.of("echo over NTLM"), echo(tunnel.port("connect"), "over NTLM"));
        proxy.awaitConnections(1, Timeouts.LOG_LINE);
        List<String> n = proxy.notes();
        assertEquals("Proxy-Connection: keep-alive", n.get(2));
        byte[] type1 = Base64.getDecoder().decode(n.get(3).substring("Proxy-Authorization: NTLM ".length()));
        assertEquals("4e544c4d5353500001000000020200000000000000000000000000000000000", HexFormat.of().formatHex(type1).substring(0, 63));
        assertEquals("CONNECT backend.example:8443 HTTP/1.1", n.get(4));
        byte[] type3 = Base64.getDecoder().decode(n.get(6).substring("Proxy-Authorization: NTLM ".length()));
        assertEquals(3, type3[8]);
        assertEquals(NTLM_RESPONSE, HexFormat.of().formatHex(type3, 64, 88));
        String d = domain.length == 0 ? "" : domain[1];
        assertEquals(d + "user", new String(type3, 88, d.length() + 4, StandardCharsets.US_ASCII));
    }

    @Test
    void clientModeNtlmWithDomain() throws Exception {
        ntlm("protocolDomain", "EXAMPLE");
    }

    /** stunnel 5.68 dereferences a null domain here and crashes; jstunnel sends an empty one. */
    @Test
    void clientModeNtlmWithoutDomain() throws Exception {
        Assumptions.assumeTrue(Clients.jstunnel(), "stunnel 5.68 crashes without protocolDomain");
        ntlm();
    }

    private TunnelProcess server() {
        return res.add(TunnelProcess.start(dir, "tunnel", new StunnelConfig().global("debug", "debug")
                .service("connect", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(9) // overridden by CONNECT
                        .set("protocol", "connect"))));
    }

    @Test
    void serverModeWithCurlProxy() throws Exception {
        HttpBackend backend = res.add(new HttpBackend());
        TunnelProcess tunnel = server();
        Clients.Result r = Clients.run(dir, "", List.of("curl", "-sS", "--max-time", "20", "--proxy",
                "http://127.0.0.1:" + tunnel.port("connect"), "--cacert", pki.caFile().toString(),
                "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{ssl_verify_result}",
                "https://127.0.0.1:" + backend.port() + "/payload/1000"));
        assertEquals("200 1000 0", r.output().trim(), r.output());
        assertEquals(1, backend.requests());
    }

    @Test
    void serverModeBadRequests() throws Exception {
        TunnelProcess tunnel = server();
        assertEquals("HTTP/1.0 400 Bad Request Method", request(tunnel, "GET / HTTP/1.1"));
        assertEquals("HTTP/1.0 400 Bad Request Protocol", request(tunnel, "CONNECT 127.0.0.1:1"));
        assertEquals("HTTP/1.0 404 Not Found", request(tunnel, "CONNECT no-such-host.invalid:443 HTTP/1.1"));
    }

    private static String request(TunnelProcess tunnel, String line) throws Exception {
        try (Socket s = new Socket("127.0.0.1", tunnel.port("connect"))) {
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            w.write(line + "\r\n\r\n");
            String status = w.expectLine();
            assertTrue(w.expectLine().startsWith("Server: "));
            assertEquals("", w.expectLine());
            String rest;
            try {
                rest = w.readLine();
            } catch (java.net.SocketException reset) {
                rest = null;
            }
            assertNull(rest);
            return status;
        }
    }
}
