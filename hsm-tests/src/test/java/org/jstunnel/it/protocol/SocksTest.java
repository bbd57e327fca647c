package org.jstunnel.it.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.attach.support.TlsPeer;
import org.jstunnel.it.protocol.support.Clients;
import org.jstunnel.it.protocol.support.Netns;
import org.jstunnel.it.protocol.support.Wire;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.HttpBackend;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * {@code protocol = socks} (protocol.c socks_*): server mode answers SOCKS 4, 4a and 5 inside TLS
 * (curl through a stunnel4 client-mode wrapper), client mode sends SOCKS 5 to protocolHost inside
 * TLS. The target is a web server inside a network namespace the test creates: every loopback
 * target is refused, by stunnel (127.0.0.0/8, ::1) and more so by jstunnel (also 0.0.0.0 and
 * ::ffff:127.0.0.1, which stunnel lets through to this host's services).
 */
class SocksTest extends EcPkiTestSupport {
    private static final String PAGE = "hello from the namespace\n";

    private TunnelProcess socksServer() {
        return res.add(TunnelProcess.start(dir, "tunnel", new StunnelConfig().global("debug", "debug")
                .service("socks", s -> s.accept("127.0.0.1:0").identity(pki.server()).set("protocol", "socks"))));
    }

    /** stunnel4 as the TLS wrapper curl talks SOCKS through. */
    private TunnelProcess wrapper(int socksPort) {
        return res.add(TunnelProcess.launch(Binaries.stunnel4(), dir, "wrapper", new StunnelConfig()
                .service("wrap", s -> s.client().accept("127.0.0.1:0").connect(socksPort))).awaitReady());
    }

    private Clients.Result curl(String socksOption, int wrapperPort, String url) {
        return Clients.run(dir, "", List.of("curl", "-sS", "-g", "--max-time", "20", socksOption,
                "127.0.0.1:" + wrapperPort, "-w", "\n%{http_code}", url));
    }

    @Test
    void socks4And4aAnd5ReachANamespaceTarget() throws Exception {
        Netns ns = res.add(new Netns(dir, "page.txt", PAGE));
        TunnelProcess socks = socksServer();
        int wrap = wrapper(socks.port("socks")).port("wrap");
        String url = "http://" + ns.address() + ":" + ns.port() + "/page.txt";
        for (String option : List.of("--socks4", "--socks4a", "--socks5")) {
            Clients.Result r = curl(option, wrap, url);
            assertEquals(PAGE + "\n200", r.output(), option + ": " + r.output());
        }
        socks.awaitLog(Pattern.compile("SOCKS4 address received"));
        socks.awaitLog(Pattern.compile("SOCKS4a resolved \"" + Pattern.quote(ns.address()) + "\" to 1 host\\(s\\)"));
        socks.awaitLog(Pattern.compile("SOCKS5 IPv4 address received"));

        Wire w = tls(socks); // a DOMAINNAME request (curl sends an IP literal as an address)
        w.write(new byte[] {5, 1, 0});
        assertArrayEquals(new byte[] {5, 0}, w.read(2));
        byte[] host = ns.address().getBytes(StandardCharsets.US_ASCII);
        byte[] req = new byte[7 + host.length];
        req[0] = 5; req[1] = 1; req[3] = 3; req[4] = (byte) host.length;
        System.arraycopy(host, 0, req, 5, host.length);
        req[5 + host.length] = (byte) (ns.port() >> 8);
        req[6 + host.length] = (byte) ns.port();
        w.write(req);
        assertArrayEquals(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0}, w.read(10)); // stunnel: no bound address
        w.write("GET /page.txt HTTP/1.0\r\n\r\n");
        assertTrue(w.readAllQuietly().endsWith("\r\n\r\n" + PAGE));
        socks.awaitLog(Pattern.compile("SOCKS5 resolved \"" + Pattern.quote(ns.address()) + "\" to 1 host\\(s\\)"));
    }

    @Test
    void loopbackTargetsAreRefused() throws Exception {
        HttpBackend local = res.add(new HttpBackend());
        TunnelProcess socks = socksServer();
        int wrap = wrapper(socks.port("socks")).port("wrap");
        Clients.Result r = curl("--socks5", wrap, "http://127.0.0.1:" + local.port() + "/payload/10");
        assertTrue(r.exit() != 0, r.output());
        r = curl("--socks4", wrap, "http://127.0.0.1:" + local.port() + "/payload/10");
        assertTrue(r.exit() != 0, r.output());
        assertEquals(0, local.requests());
        socks.awaitLog(0, Pattern.compile("SOCKS connection to the IPv4 loopback rejected"), 2);
    }

    /** The documented difference: stunnel lets 0.0.0.0 and ::ffff:127.0.0.1 reach this host's services. */
    @Test
    void otherLoopbackFormsAreRefusedByJstunnelOnly() throws Exception {
        HttpBackend local = res.add(new HttpBackend());
        TunnelProcess socks = socksServer();
        int wrap = wrapper(socks.port("socks")).port("wrap");
        Clients.Result any = curl("--socks5", wrap, "http://0.0.0.0:" + local.port() + "/payload/10");
        Clients.Result mapped = curl("--socks5", wrap, "http://[::ffff:127.0.0.1]:" + local.port() + "/payload/10");
        if (Clients.jstunnel()) {
            assertTrue(any.exit() != 0 && mapped.exit() != 0, any.output() + mapped.output());
            assertEquals(0, local.requests());
            socks.awaitLog(0, Pattern.compile("SOCKS connection to the IPv4 loopback rejected"), 2);
        } else {
            assertTrue(any.output().endsWith("200"), "stunnel's hole: " + any.output());
        }
    }

    /** Raw SOCKS inside TLS: stunnel's replies and errors. */
    private Wire tls(TunnelProcess socks) throws Exception {
        Socket s = res.add(new Socket("127.0.0.1", socks.port("socks")));
        s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
        return new Wire(s).startTls(TlsPeer.context(pki.caFile(), null), false);
    }

    @Test
    void unknownVersionAndAddressTypeAndResolve() throws Exception {
        TunnelProcess socks = socksServer();
        Wire w = tls(socks);
        w.write(new byte[] {6});
        assertEquals("", w.readAllQuietly());
        socks.awaitLog(Pattern.compile("Unsupported SOCKS version 0x06"));

        w = tls(socks);
        w.write(new byte[] {5, 1, 0});
        assertArrayEquals(new byte[] {5, 0}, w.read(2));
        w.write(new byte[] {5, 1, 0, 5});
        assertArrayEquals(new byte[] {5, 7, 0, 1, 0, 0, 0, 0, 0, 0}, w.read(10));
        assertEquals("", w.readAllQuietly());
        socks.awaitLog(Pattern.compile("Unsupported SOCKS5 address type 0x05"));

        w = tls(socks); // Tor's RESOLVE: the address, then the connection ends
        w.write(new byte[] {5, 1, 0});
        assertArrayEquals(new byte[] {5, 0}, w.read(2));
        byte[] host = "192.0.2.7".getBytes(StandardCharsets.US_ASCII);
        byte[] req = new byte[7 + host.length];
        req[0] = 5; req[1] = (byte) 0xf0; req[3] = 3; req[4] = (byte) host.length;
        System.arraycopy(host, 0, req, 5, host.length);
        w.write(req);
        assertArrayEquals(new byte[] {5, 0, 0, 1, (byte) 192, 0, 2, 7, 0, 0}, w.read(10));
        socks.awaitLog(Pattern.compile("SOCKS5/TOR resolved \"192.0.2.7\" to IPv4"));

        w = tls(socks); // SOCKS 4 BIND is not supported
        w.write(new byte[] {4, 2, 0, 80, 10, 0, 0, 1, 0});
        assertArrayEquals(new byte[] {0, 91, 0, 80, 10, 0, 0, 1}, w.read(8));
        socks.awaitLog(Pattern.compile("Unsupported SOCKS4/SOCKS4a command 0x02"));
    }

    @Test
    void clientModeSendsSocks5ToProtocolHost() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Clients.jstunnel(),
                "stunnel 5.68's SOCKS client ignores protocolHost (it needs SO_ORIGINAL_DST); 5.75 uses it");
        Netns ns = res.add(new Netns(dir, "page.txt", PAGE));
        // the SOCKS server is stunnel4, the client under test
        TunnelProcess server = res.add(TunnelProcess.launch(Binaries.stunnel4(), dir, "socks-server", new StunnelConfig()
                .service("socks", s -> s.accept("127.0.0.1:0").identity(pki.server()).set("protocol", "socks")))
                .awaitReady());
        TunnelProcess client = res.add(TunnelProcess.start(dir, "tunnel", new StunnelConfig().global("debug", "debug")
                .service("socks-client", s -> s.client().accept("127.0.0.1:0").connect(server.port("socks"))
                        .set("protocol", "socks").set("protocolHost", ns.address() + ":" + ns.port()))));
        Clients.Result r = Clients.run(dir, "", List.of("curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}",
                "http://127.0.0.1:" + client.port("socks-client") + "/page.txt"));
        assertEquals(PAGE + "\n200", r.output(), r.output());
        client.awaitLog(Pattern.compile("SOCKS5 request succeeded"));
    }
}
