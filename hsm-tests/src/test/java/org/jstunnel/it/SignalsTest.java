package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.Deadline;
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
import org.junit.jupiter.api.Test;

/**
 * SIGTERM ends the program cleanly; SIGHUP reloads the configuration file. The reload tests use
 * fixed ports: a service with {@code accept = 127.0.0.1:0} would be rebound to a new port (stunnel
 * closes and re-binds every listener on reload).
 */
class SignalsTest extends EcPkiTestSupport {

    private static StunnelConfig withService(StunnelConfig c, String name, String accept, int backendPort) {
        return c.service(name, s -> s.accept(accept).connect(backendPort).identity(pki.server()));
    }

    /** A full TLS round trip through {@code port}: proves the service is up and wired to the echo backend. */
    private static void assertServes(int port) {
        Payload p = Payload.of(10_000);
        Exchange ex = Exchange.run(TlsClient.connect(port, pki.caFile(), "TLSv1.3"), p).requireSuccess();
        assertEquals(p.digest(), ex.received(), "round trip through port " + port);
    }

    private static void assertRefused(int port) {
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(Ports.LOOPBACK, port), (int) Timeouts.LOG_LINE.toMillis());
            }
        }, "nothing may listen on port " + port);
    }

    private static String echoLine(SSLSocket s, String line) throws IOException {
        s.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[line.length()];
        int got = 0;
        while (got < buf.length) {
            int n = in.read(buf, got, buf.length - got);
            if (n < 0) {
                throw new IOException("EOF after " + got + " bytes of the echo of " + line.strip());
            }
            got += n;
        }
        return new String(buf, StandardCharsets.US_ASCII);
    }

    @Test
    void sigtermLogsTerminatedAndExitsZero() {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel",
                withService(new StunnelConfig(), "one", "127.0.0.1:0", echo.port())));
        int port = tunnel.port("one");
        assertServes(port);

        Deadline d = Deadline.after(Timeouts.SHUTDOWN);
        assertEquals(0, tunnel.stop(), "exit code after SIGTERM");
        assertTrue(!d.expired(), "SIGTERM must end the program within " + Timeouts.SHUTDOWN);
        LogLine terminated = tunnel.findLog(StunnelLog.TERMINATED)
                .orElseThrow(() -> new AssertionError("no 'Terminated' in the log"));
        assertEquals(5, terminated.level(), terminated.raw());
        assertRefused(port);
    }

    @Test
    void sighupAddsAServiceAndKeepsTheUnchangedOneAndItsConnections() throws IOException {
        EchoBackend echo = res.add(new EchoBackend());
        int p1 = Ports.freeLoopbackPort();
        int p2 = Ports.freeLoopbackPort();
        StunnelConfig before = withService(new StunnelConfig(), "one", Ports.loopback(p1), echo.port());
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", before));
        assertEquals(p1, tunnel.port("one"));
        assertRefused(p2);

        try (SSLSocket established = TlsClient.connect(p1, pki.caFile(), "TLSv1.3")) {
            assertEquals("before\n", echoLine(established, "before\n"));

            int mark = tunnel.reload(withService(before.copy(), "two", Ports.loopback(p2), echo.port()));
            tunnel.awaitLog(mark, StunnelLog.CONFIGURATION_SUCCESSFUL, 1);
            tunnel.awaitLog(mark, StunnelLog.bound("two", p2), 1);

            assertEquals("after\n", echoLine(established, "after\n"), "a connection established before the reload");
            assertServes(p1);
            assertServes(p2);
        }
        ConnectionLog.awaitEnded(tunnel, "one", 0).require(StunnelLog.closed(13, 13));
    }

    @Test
    void sighupRemovesADroppedService() {
        EchoBackend echo = res.add(new EchoBackend());
        int p1 = Ports.freeLoopbackPort();
        int p2 = Ports.freeLoopbackPort();
        StunnelConfig both = withService(withService(new StunnelConfig(), "one", Ports.loopback(p1), echo.port()),
                "two", Ports.loopback(p2), echo.port());
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", both));
        assertServes(p2);

        int mark = tunnel.reload(both.copy().removeService("two"));
        tunnel.awaitLog(mark, StunnelLog.CONFIGURATION_SUCCESSFUL, 1);
        awaitRefused(p2);
        assertServes(p1);
    }

    @Test
    void sighupWithABrokenConfigurationKeepsTheOldServices() {
        EchoBackend echo = res.add(new EchoBackend());
        int p1 = Ports.freeLoopbackPort();
        int p2 = Ports.freeLoopbackPort();
        StunnelConfig good = withService(new StunnelConfig(), "one", Ports.loopback(p1), echo.port());
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", good));

        StunnelConfig broken = good.copy().service("two", s -> s.accept(Ports.loopback(p2)).connect(echo.port())
                .identity(pki.server()).raw("frobnicate = yes"));
        int mark = tunnel.reload(broken);
        tunnel.awaitLog(mark, StunnelLog.CONFIGURATION_FAILED, 1);
        tunnel.awaitLog(mark, StunnelLog.RELOAD_FAILED, 1);
        tunnel.awaitLog(mark, Pattern.compile(Pattern.quote(tunnel.configFile().toString())
                + ":\\d+: \"frobnicate = yes\": Specified option name is not valid here"), 1);
        assertTrue(tunnel.process().isAlive(), "a failed reload must not end the program");
        assertServes(p1);
        assertRefused(p2);

        // and the next good reload still works
        mark = tunnel.reload(withService(good.copy(), "two", Ports.loopback(p2), echo.port()));
        tunnel.awaitLog(mark, StunnelLog.bound("two", p2), 1);
        assertServes(p2);
        assertServes(p1);
    }

    /**
     * HUP, USR1 and USR2 in a tight loop from the moment the program is exec'd until its listener
     * answers (also between the first bind and "Accepting new connections"): the process never dies,
     * then processes the reload it was asked for, and a later reload still works.
     */
    @Test
    void hupUsr1Usr2FromExecUntilTheListenerAnswersNeverKillAndThenReload() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        int p1 = Ports.freeLoopbackPort();
        int p2 = Ports.freeLoopbackPort();
        StunnelConfig conf = withService(new StunnelConfig(), "one", Ports.loopback(p1), echo.port());
        TunnelProcess tunnel = res.add(TunnelProcess.launch(org.jstunnel.it.support.Binaries.underTest(), dir,
                "jstunnel", conf));
        long pid = tunnel.process().pid();
        java.nio.file.Path stop = dir.resolve("stop-signals");
        // bash's kill builtin: thousands of signals per second, bounded in count and time
        Process sender = new ProcessBuilder("bash", "-c",
                "n=0; end=$((SECONDS+60)); while [ ! -e \"$1\" ]; do"
                + " kill -HUP $2 && kill -USR1 $2 && kill -USR2 $2 || exit 1;"
                + " n=$((n+1)); [ $n -lt 2000000 ] && [ $SECONDS -lt $end ] || exit 2; done; echo $n",
                "sender", stop.toString(), Long.toString(pid))
                .redirectErrorStream(true).start();
        try {
            Deadline d = Deadline.after(Timeouts.STARTUP);
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(Ports.LOOPBACK, p1), 200);
                    break;
                } catch (IOException notYet) {
                    assertTrue(tunnel.process().isAlive(), "died under signals before listening:\n" + tunnel.diagnostics());
                    if (d.expired()) throw new AssertionError("no listener within " + Timeouts.STARTUP);
                    Thread.sleep(5);
                }
            }
            java.nio.file.Files.createFile(stop);
            assertTrue(sender.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "sender did not stop");
            String out = new String(sender.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertEquals(0, sender.exitValue(), "kill failed (the process died) or the loop ran out: " + out);
            assertTrue(Long.parseLong(out) > 0, "signals sent: " + out);
            System.out.println("HUP+USR1+USR2 rounds sent before the listener answered: " + out);
        } finally {
            sender.destroyForcibly();
        }
        assertTrue(tunnel.process().isAlive(), tunnel.diagnostics());
        tunnel.awaitLog(TunnelProcess.READY);
        int ready = 0;
        while (!TunnelProcess.READY.matcher(tunnel.log().get(ready).text()).find()) ready++;
        tunnel.awaitLog(ready, StunnelLog.CONFIGURATION_SUCCESSFUL, 1);
        tunnel.awaitLog(ready, Pattern.compile("Log file reopened"), 1);
        tunnel.awaitLog(ready, Pattern.compile("Listed \\d+ active connection\\(s\\)"), 1);
        assertServes(p1);

        int mark = tunnel.reload(withService(conf.copy(), "two", Ports.loopback(p2), echo.port()));
        tunnel.awaitLog(mark, StunnelLog.bound("two", p2), 1);
        assertServes(p2);
        assertEquals(0, tunnel.stop(), "exit code after SIGTERM");
    }

    private static void awaitRefused(int port) {
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(Ports.LOOPBACK, port), (int) Timeouts.LOG_LINE.toMillis());
            } catch (ConnectException e) {
                return;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            if (d.expired()) {
                throw new AssertionError("port " + port + " still accepts connections " + Timeouts.LOG_LINE + " after the reload");
            }
            d.pause();
        }
    }
}
