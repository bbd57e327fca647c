package org.jstunnel.it.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Commands;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.unix.support.NetnsLab;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code transparent}: in namespaces the test builds ({@link NetnsLab}), a TLS client connects
 * through the tunnel to a backend that reports who connected to what. With {@code source} the
 * backend sees the client's own address and port; with {@code destination} the tunnel connects to
 * the address the client asked for (10.201.3.9:8443, REDIRECTed to the tunnel) without any
 * {@code connect}; {@code both} does both; legacy {@code yes} is source. Same results from stunnel4.
 */
class TransparentTest extends EcPkiTestSupport {
    private static final String BACKEND = """
            import socketserver, sys, threading
            class H(socketserver.BaseRequestHandler):
                def handle(self):
                    p, l = self.request.getpeername(), self.request.getsockname()
                    self.request.sendall(("peer=%s:%d local=%s:%d\\n" % (p + l)).encode())
            socketserver.ThreadingTCPServer.allow_reuse_address = True
            servers = [socketserver.ThreadingTCPServer(("0.0.0.0", p), H) for p in (9000, 8443, 8445)]
            for s in servers[1:]:
                threading.Thread(target=s.serve_forever, daemon=True).start()
            print("ready", flush=True)
            servers[0].serve_forever()
            """;
    private static final String CLIENT = """
            import socket, ssl, sys
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            source = ("0.0.0.0", int(sys.argv[3])) if len(sys.argv) > 3 else None
            s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10, source_address=source)
            me = "%s:%d" % s.getsockname()
            t = ctx.wrap_socket(s)
            data = b""
            while not data.endswith(b"\\n") and len(data) < 1000:
                d = t.recv(1000)
                if not d:
                    break
                data += d
            print("client=%s %s" % (me, data.decode().strip()))
            """;

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : line.trim().split(" ")) {
            int eq = f.indexOf('=');
            if (eq > 0) m.put(f.substring(0, eq), f.substring(eq + 1));
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void theBackendSeesTheClientAndTheOriginalDestination(String which) throws Exception {
        NetnsLab lab = res.add(NetnsLab.create(dir));
        Path backend = dir.resolve("backend.py"), client = dir.resolve("client.py");
        Files.writeString(backend, BACKEND);
        Files.writeString(client, CLIENT);
        ManagedProcess b = res.add(ManagedProcess.start("backend", dir,
                NetnsLab.in(lab.backend(), List.of("python3", backend.toString())), false));
        Deadline d = Deadline.after(Timeouts.STARTUP);
        while (!b.stdout().contains("ready")) {
            if (d.expired() || !b.isAlive()) throw new AssertionError("backend did not start\n" + b.diagnostics());
            d.pause();
        }
        Path binary = which.equals("stunnel4") ? Binaries.stunnel4() : Binaries.underTest();
        String back = NetnsLab.BACKEND_IP + ":9000";
        TunnelProcess tunnel = res.add(TunnelProcess.launch(lab.launcherIn(lab.tunnel(), binary), dir, which,
                new StunnelConfig()
                        .service("source", s -> s.accept(NetnsLab.TUNNEL_IP + ":4443").identity(pki.server())
                                .set("connect", back).set("transparent", "source"))
                        .service("destination", s -> s.accept("4444").identity(pki.server())
                                .set("transparent", "destination"))
                        .service("both", s -> s.accept("4445").identity(pki.server()).set("transparent", "both"))
                        .service("legacy", s -> s.accept(NetnsLab.TUNNEL_IP + ":4446").identity(pki.server())
                                .set("connect", back).set("transparent", "yes"))
                        .service("none", s -> s.accept(NetnsLab.TUNNEL_IP + ":4447").identity(pki.server())
                                .set("connect", back))
                        // a client without a certificate goes to the redirect target, from its own address too
                        .service("redirected", s -> s.accept(NetnsLab.TUNNEL_IP + ":4448").identity(pki.server())
                                .set("verifyChain", "yes").set("CAfile", pki.caFile())
                                .set("connect", NetnsLab.BACKEND_IP + ":9001").set("redirect", back)
                                .set("transparent", "source")))
                .awaitReady());

        // source: the backend sees the client's own address and port (not privileged: kept)
        for (String[] svc : new String[][] {{"source", "4443"}, {"legacy", "4446"}}) {
            Map<String, String> r = talk(lab, client, NetnsLab.TUNNEL_IP, svc[1]);
            assertEquals(r.get("client"), r.get("peer"), svc[0] + ": the backend sees the client itself");
            assertEquals(back, r.get("local"));
        }
        tunnel.awaitLog(Pattern.compile("IP_TRANSPARENT socket option set"));
        tunnel.awaitLog(Pattern.compile("bind succeeded on the original port"));

        // destination: the tunnel connects where the client wanted to go
        Map<String, String> r = talk(lab, client, NetnsLab.ORIGINAL_IP, "8443");
        assertEquals(NetnsLab.ORIGINAL_IP + ":8443", r.get("local"), "the original destination");
        assertTrue(r.get("peer").startsWith(NetnsLab.TUNNEL_BACK_IP + ":"), "from the tunnel's own address: " + r);
        tunnel.awaitLog(Pattern.compile("s_connect: connected " + Pattern.quote(NetnsLab.ORIGINAL_IP + ":8443")));

        // both: from a privileged client port, which the tunnel does not reuse (stunnel binds an ephemeral
        // one): with the client's own port the connection would have the REDIRECTed connection's addresses
        r = talk(lab, client, NetnsLab.ORIGINAL_IP, "8445", "700");
        assertEquals(NetnsLab.ORIGINAL_IP + ":8445", r.get("local"), "both: the original destination");
        assertEquals(NetnsLab.CLIENT_IP + ":700", r.get("client"));
        assertTrue(r.get("peer").startsWith(NetnsLab.CLIENT_IP + ":"), "both: and the client's own address: " + r);
        tunnel.awaitLog(Pattern.compile("bind succeeded on an ephemeral port"));

        r = talk(lab, client, NetnsLab.TUNNEL_IP, "4448");
        assertEquals(r.get("client"), r.get("peer"), "redirect: the backend sees the client itself");

        // none: the tunnel's own address
        r = talk(lab, client, NetnsLab.TUNNEL_IP, "4447");
        assertTrue(r.get("peer").startsWith(NetnsLab.TUNNEL_BACK_IP + ":"), "none: " + r);
    }

    private static Map<String, String> talk(NetnsLab lab, Path client, String host, String... port) {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", client.toString(), host));
        cmd.addAll(List.of(port));
        String out = Commands.run(client.getParent(), NetnsLab.in(lab.client(), cmd));
        Map<String, String> m = fields(out);
        assertTrue(m.containsKey("peer"), "the backend answered through the tunnel: " + out);
        return m;
    }
}
