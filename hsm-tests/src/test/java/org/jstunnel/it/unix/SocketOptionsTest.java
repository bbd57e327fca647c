package org.jstunnel.it.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.OpenSslServer;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.unix.support.LiveSockets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code socket = a|l|r:OPTION=VALUE}: every option {@code -sockets} lists is set on the accepting,
 * local and remote socket it names, with stunnel's defaults otherwise, read back from the running
 * process's live sockets (getsockopt on duplicates of its descriptors). Run against jstunnel and
 * against stunnel4: both must leave the kernel with the same values.
 */
class SocketOptionsTest extends EcPkiTestSupport {
    private static final String SERVICE = "opts";

    private static Path binary(String which) {
        return which.equals("stunnel4") ? Binaries.stunnel4() : Binaries.underTest();
    }

    /** A client-mode tunnel to s_server -rev with {@code lines}; one connection held open while {@code check} runs. */
    private void withConnection(String which, String bind, List<String> lines, Consumer<Sockets> check) throws Exception {
        OpenSslServer server = res.add(OpenSslServer.startRev(dir, "s_server", pki.server(), List.of()));
        TunnelProcess tunnel = res.add(TunnelProcess.launch(binary(which), dir, which, new StunnelConfig()
                .global("debug", "debug")
                .service(SERVICE, s -> {
                    s.client().accept(bind + ":0").connect(server.port());
                    lines.forEach(l -> s.set("socket", l));
                })).awaitReady());
        int port = tunnel.port(SERVICE);
        try (Socket c = bind.startsWith(":") ? new Socket("::1", port) : PlainClient.connect(port)) {
            OutputStream out = c.getOutputStream();
            out.write("socket options\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("snoitpo tekcos", in.readLine(), "s_server's reversed line through the tunnel");
            List<LiveSockets.Sock> all = LiveSockets.of(dir, tunnel.process().pid());
            String listen = bind.startsWith(":") ? "[::1]:" + port : "127.0.0.1:" + port;
            String client = bind.startsWith(":") ? "[::1]:" + c.getLocalPort() : "127.0.0.1:" + c.getLocalPort();
            check.accept(new Sockets(LiveSockets.find(all, listen, "-"), LiveSockets.byPeer(all, client),
                    LiveSockets.byPeer(all, "127.0.0.1:" + server.port()), tunnel));
        }
    }

    record Sockets(LiveSockets.Sock accept, LiveSockets.Sock local, LiveSockets.Sock remote, TunnelProcess tunnel) {}

    private static void expect(LiveSockets.Sock s, String what, Map<String, String> want) {
        want.forEach((k, v) -> assertEquals(v, s.get(k), what + " socket " + k + " (" + s + ")"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void stunnelsDefaultsAreSetAndNothingElse(String which) throws Exception {
        withConnection(which, "127.0.0.1", List.of(), s -> {
            expect(s.accept(), "accept", Map.of("SO_REUSEADDR", "yes", "SO_KEEPALIVE", "no"));
            expect(s.local(), "local", Map.of("TCP_NODELAY", "yes", "SO_KEEPALIVE", "no", "IP_TTL", "64"));
            expect(s.remote(), "remote", Map.of("TCP_NODELAY", "yes", "SO_KEEPALIVE", "no", "SO_OOBINLINE", "no"));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void everyListedOptionReachesTheSocketItNames(String which) throws Exception {
        List<String> lines = List.of(
                "a:SO_DEBUG=yes", "a:SO_RCVBUF=40000", "a:IP_TTL=33", "a:SO_KEEPALIVE=yes", "a:IP_FREEBIND=yes",
                "a:TCP_NODELAY=yes",
                "l:SO_KEEPALIVE=yes", "l:TCP_KEEPIDLE=77", "l:TCP_KEEPINTVL=11", "l:TCP_KEEPCNT=5", "l:SO_LINGER=1:9",
                "l:IP_TOS=16", "l:SO_SNDTIMEO=3:500000", "l:SO_RCVTIMEO=4", "l:SO_SNDLOWAT=1",
                "r:SO_OOBINLINE=yes", "r:IP_TTL=42", "r:SO_SNDBUF=32768", "r:TCP_NODELAY=no", "r:SO_BINDTODEVICE=lo",
                "r:SO_DONTROUTE=yes", "r:SO_RCVLOWAT=5", "r:SO_REUSEADDR=yes", "r:TCP_NODELAY=0");
        withConnection(which, "127.0.0.1", lines, s -> {
            expect(s.accept(), "accept", Map.of("SO_DEBUG", "yes", "SO_RCVBUF", "80000", "IP_TTL", "33",
                    "SO_KEEPALIVE", "yes", "IP_FREEBIND", "yes", "SO_REUSEADDR", "yes"));
            expect(s.local(), "local", Map.of("SO_KEEPALIVE", "yes", "TCP_KEEPIDLE", "77", "TCP_KEEPINTVL", "11",
                    "TCP_KEEPCNT", "5", "SO_LINGER", "1:9", "IP_TOS", "16", "SO_SNDTIMEO", "3:500000",
                    "SO_RCVTIMEO", "4:0", "TCP_NODELAY", "yes", "IP_TTL", "33")); // Linux: inherited from the listener
            expect(s.remote(), "remote", Map.of("SO_OOBINLINE", "yes", "IP_TTL", "42", "SO_SNDBUF", "65536",
                    "TCP_NODELAY", "no", "SO_BINDTODEVICE", "lo", "SO_DONTROUTE", "yes", "SO_RCVLOWAT", "5",
                    "SO_REUSEADDR", "yes", "SO_KEEPALIVE", "no"));
            // Linux cannot change SO_SNDLOWAT: stunnel logs the error and goes on
            s.tunnel().awaitLog(Pattern.compile("SO_SNDLOWAT: Protocol not available \\(92\\)"));
            s.tunnel().awaitLog(Pattern.compile("Failed to set local socket options"));
            s.tunnel().awaitLog(Pattern.compile("Option SO_KEEPALIVE set on local socket"));
            s.tunnel().awaitLog(Pattern.compile("Setting remote socket options \\(FD=\\d+\\)"));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void ipv6OnlyOnAnIpv6Listener(String which) throws Exception {
        withConnection(which, "::1", List.of("a:IPV6_V6ONLY=yes"), s -> {
            expect(s.accept(), "accept", Map.of("IPV6_V6ONLY", "yes", "SO_REUSEADDR", "yes"));
            expect(s.local(), "local", Map.of("IPV6_V6ONLY", "yes", "TCP_NODELAY", "yes"));
        });
    }
}
