package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.LogLine;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TlsClient;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A service with several {@code accept} lines listens on every one (stunnel's bind_ports); an address
 * another socket holds is logged ({@code Binding service [x] to ADDR: Address already in use (98)})
 * and the service runs on the others; start-up fails ({@code Binding service [x] failed}) only when
 * none can be bound. The same for stunnel4.
 */
class MultipleAcceptTest extends EcPkiTestSupport {

    private static Path binary(String which) {
        return which.equals("jstunnel") ? Binaries.underTest() : Binaries.stunnel4();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void everyAcceptIsBoundAndABusyOneIsSkipped(String which) throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        int p1 = Ports.freeLoopbackPort();
        int p3 = Ports.freeLoopbackPort();
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(Ports.LOOPBACK, 0));
            int p2 = busy.getLocalPort();
            TunnelProcess t = res.add(TunnelProcess.launch(binary(which), dir, which, new StunnelConfig()
                    .service("multi", s -> s.accept(Ports.loopback(p1)).accept(Ports.loopback(p2))
                            .accept(Ports.loopback(p3)).connect(echo.port()).identity(pki.server())))).awaitReady();
            LogLine skipped = t.findLog(Pattern.compile(Pattern.quote(
                    "Binding service [multi] to 127.0.0.1:" + p2 + ": Address already in use (98)")))
                    .orElseThrow(() -> new AssertionError("no line for the busy address:\n" + t.diagnostics()));
            assertEquals(5, skipped.level(), skipped.raw());
            t.awaitLog(StunnelLog.bound("multi", p1));
            t.awaitLog(StunnelLog.bound("multi", p3));
            for (int port : new int[] {p1, p3}) {
                Payload p = Payload.of(30_000);
                Exchange ex = Exchange.run(TlsClient.connect(port, pki.caFile(), "TLSv1.3"), p).requireSuccess();
                assertEquals(p.digest(), ex.received(), "round trip through port " + port);
            }
            assertEquals(0, t.stop());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void startUpFailsWhenNoAcceptCanBeBound(String which) throws Exception {
        try (ServerSocket a = new ServerSocket(); ServerSocket b = new ServerSocket()) {
            a.bind(new InetSocketAddress(Ports.LOOPBACK, 0));
            b.bind(new InetSocketAddress(Ports.LOOPBACK, 0));
            TunnelProcess t = res.add(TunnelProcess.launch(binary(which), dir, which, new StunnelConfig()
                    .service("none", s -> s.accept(Ports.loopback(a.getLocalPort()))
                            .accept(Ports.loopback(b.getLocalPort())).connect(9).identity(pki.server()))));
            assertEquals(1, t.awaitExit(Timeouts.STARTUP).orElseThrow(), "exit code");
            String err = t.stderr();
            for (int port : new int[] {a.getLocalPort(), b.getLocalPort()}) {
                assertTrue(err.contains("Binding service [none] to 127.0.0.1:" + port + ": Address already in use (98)"), err);
            }
            assertTrue(err.contains("Binding service [none] failed"), err);
        }
    }
}
