package org.jstunnel.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.jstunnel.it.attach.support.Inetd;
import org.jstunnel.it.attach.support.Scripts;
import org.jstunnel.it.attach.support.TlsPeer;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Digest;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.LogLine;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * Inetd mode (stunnel(8) INETD MODE): no [sections]; the global section's service options serve the
 * one connection that is the program's stdin/stdout (a socket from inetd, or a pair of pipes), then
 * the program exits 0.
 */
class InetdTest extends EcPkiTestSupport {

    @Test
    void pipesAreTheLocalEndOfAClientModeConnection() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess server = res.add(TunnelProcess.start(dir, "server", new StunnelConfig()
                .service("tls", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(echo.port()))));
        Inetd.Started inetd = res.add(Inetd.pipes(Binaries.underTest(), dir, "inetd", new StunnelConfig()
                .global("client", "yes").global("connect", Ports.loopback(server.port("tls")))
                .global("verifyChain", "yes").global("CAfile", pki.caFile().toString())
                .global("checkHost", "localhost")));
        Payload payload = Payload.of(1 << 20);

        Process p = inetd.process().process();
        AtomicReference<IOException> writeFailure = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream out = p.getOutputStream()) {
                payload.writeTo(out); // then EOF on its stdin: the half-close
            } catch (IOException e) {
                writeFailure.set(e);
            }
        });
        Digest.Builder received = new Digest.Builder();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(received.asOutputStream());
        }
        writer.join(Timeouts.TRANSFER);
        assertEquals(null, writeFailure.get());
        assertEquals(payload.digest(), received.build(), "echoed through stdout");
        assertEquals(0, inetd.process().exitCode(Timeouts.SHUTDOWN), "inetd mode exits 0 after its connection");

        List<LogLine> log = Logs.read(inetd.logFile());
        LogLine accepted = Logs.first(log, Pattern.compile("Service \\[stunnel\\] accepted connection"))
                .orElseThrow(() -> new AssertionError("no 'accepted connection' line without an address:\n" + Logs.render(log)));
        List<LogLine> mine = Logs.ofConnection(log, accepted.id());
        assertTrue(mine.stream().anyMatch(l -> l.matches(StunnelLog.closed(payload.size(), payload.size()))), Logs.render(mine));
        assertTrue(mine.stream().anyMatch(l -> l.matches(StunnelLog.TLS_CONNECTED)), Logs.render(mine));
        assertTrue(Logs.first(log, TunnelProcess.READY).isEmpty(), "inetd mode accepts nothing itself");
    }

    @Test
    void theServerClosingEndsAPipeConnection() throws Exception {
        TunnelProcess server = res.add(TunnelProcess.start(dir, "server", new StunnelConfig()
                .service("bye", s -> s.accept("127.0.0.1:0").identity(pki.server())
                        .set("exec", "/bin/echo").set("execArgs", "echo bye"))));
        Inetd.Started inetd = res.add(Inetd.pipes(Binaries.underTest(), dir, "inetd", new StunnelConfig()
                .global("client", "yes").global("connect", Ports.loopback(server.port("bye")))));
        Process p = inetd.process().process();
        // stdin stays open: a pipe cannot be half-closed, so the TLS close ends the whole connection
        assertEquals("bye\n", new String(p.getInputStream().readAllBytes()));
        assertEquals(0, inetd.process().exitCode(Timeouts.LOG_LINE));
        List<LogLine> log = Logs.read(inetd.logFile());
        assertTrue(Logs.first(log, StunnelLog.closed(0, 4)).isPresent(), Logs.render(log));
    }

    @Test
    void idlePipesTimeOut() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess server = res.add(TunnelProcess.start(dir, "server", new StunnelConfig()
                .service("tls", s -> s.accept("127.0.0.1:0").identity(pki.server()).connect(echo.port()))));
        Inetd.Started inetd = res.add(Inetd.pipes(Binaries.underTest(), dir, "inetd", new StunnelConfig()
                .global("client", "yes").global("connect", Ports.loopback(server.port("tls")))
                .global("TIMEOUTidle", "1")));
        Process p = inetd.process().process();
        p.getOutputStream().write("hi\n".getBytes());
        p.getOutputStream().flush(); // and stdin stays open: the connection idles
        byte[] echoed = p.getInputStream().readNBytes(3);
        assertEquals("hi\n", new String(echoed));
        assertEquals(0, inetd.process().exitCode(Timeouts.LOG_LINE), "a read blocked on a pipe must not outlive the timeout");
        List<LogLine> log = Logs.read(inetd.logFile());
        assertTrue(Logs.first(log, Pattern.compile("transfer: s_poll_wait: TIMEOUTidle exceeded: sending reset")).isPresent(),
                Logs.render(log));
        assertTrue(Logs.first(log, Pattern.compile("Connection reset: 3 byte\\(s\\) sent to TLS, 3 byte\\(s\\) sent to socket"))
                .isPresent(), Logs.render(log));
    }

    @Test
    void aSocketFromInetdIsTheTlsSideAndTheProgramGetsItsAddress() {
        Path reporter = Scripts.reporter(dir, 0);
        Inetd.Started inetd = res.add(Inetd.socket(Binaries.underTest(), dir, "inetd", new StunnelConfig()
                .global("service", "imaps")
                .global("cert", pki.server().certFile().toString()).global("key", pki.server().keyFile().toString())
                .global("verifyChain", "yes").global("CAfile", pki.caFile().toString())
                .global("exec", reporter.toString())));

        Exchange ex = Exchange.run(TlsPeer.connect("127.0.0.1", inetd.port(), pki.caFile(), pki.client()),
                Payload.of(50_000)).requireSuccess();

        Map<String, String> r = ExecTest.report(ex.receivedText());
        assertEquals("127.0.0.1", r.get("REMOTE_HOST"));
        assertEquals(Integer.toString(ex.localPort()), r.get("REMOTE_PORT"));
        assertEquals("CN=" + TestPki.CLIENT_CN, r.get("SSL_CLIENT_DN"));
        assertEquals("50000", r.get("COUNT"));
        assertEquals(0, inetd.process().exitCode(Timeouts.SHUTDOWN));
        List<LogLine> log = Logs.read(inetd.logFile());
        assertTrue(Logs.first(log, StunnelLog.accepted("imaps", ex.localPort())).isPresent(), Logs.render(log));
        assertTrue(Logs.first(log, StunnelLog.closed(ex.received().count(), 50_000)).isPresent(), Logs.render(log));
    }
}
