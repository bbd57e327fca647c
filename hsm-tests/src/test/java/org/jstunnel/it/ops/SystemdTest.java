package org.jstunnel.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.CaPki;
import org.jstunnel.it.tls.support.SClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * systemd without a running systemd: a datagram socket the test owns as {@code NOTIFY_SOCKET}
 * receives jstunnel's notifications in order; {@code systemd-socket-activate} passes listening
 * sockets that jstunnel's services take; {@code systemd-analyze verify} accepts the unit files.
 */
class SystemdTest {
    private static final Path HOME = Path.of(System.getProperty("jstunnel.home", "..")).toAbsolutePath().normalize();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path pkiDir;
    static CaPki pki;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final Resources res = new Resources();

    @BeforeAll
    static void pki() {
        pki = CaPki.create(pkiDir);
    }

    private StunnelConfig.Section echoService(StunnelConfig.Section s, String accept, int echo) {
        return s.accept(accept).connect(echo).set("cert", pki.server.chainFile()).set("key", pki.server.keyFile());
    }

    /** Path and abstract NOTIFY_SOCKET; the path run also has foreground = no, which must not fork. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"path", "abstract"})
    void notificationsArriveInOrder(String kind) throws Exception {
        String socket = kind.equals("path") ? dir.resolve("notify.sock").toString() : "@jstunnel-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        ManagedProcess receiver = res.add(ManagedProcess.start("notify", dir,
                List.of("python3", script("notify_receiver.py").toString(), socket, "20", "500"), false));
        awaitStdout(receiver, "bound");
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig c = new StunnelConfig().service("echo", s -> echoService(s, "127.0.0.1:0", echo.port()));
        if (kind.equals("path")) c.global("foreground", "no");
        TunnelProcess t = res.add(TunnelProcess.launch(List.of("env", "NOTIFY_SOCKET=" + socket, "WATCHDOG_USEC=200000"),
                Binaries.underTest(), dir, "jstunnel", c).awaitReady());
        SClient ok = SClient.run(dir.resolve("clients"), t.port("echo"), List.of("-CAfile", pki.rootFile().toString()),
                "ping\n", Duration.ofMillis(800), "ping");
        assertNotNull(ok.session(), ok.toString());
        Thread.sleep(600); // a few watchdog intervals
        int mark = t.reload(c);
        t.awaitLog(mark, StunnelLog.CONFIGURATION_SUCCESSFUL, 1);
        assertEquals(0, t.stop());
        assertTrue(t.process().awaitExit(Duration.ZERO).isPresent(), "the launched process itself ran the tunnel");
        receiver.exitCode(Timeouts.PEER_EXIT);

        List<String> lines = Arrays.asList(receiver.stdout().split("\n"));
        List<String> states = lines.stream().filter(l -> !l.equals("bound") && !l.equals("end") && !l.equals("WATCHDOG=1")).toList();
        long watchdogs = lines.stream().filter(l -> l.equals("WATCHDOG=1")).count();
        String all = receiver.stdout();
        assertEquals(4, states.size(), all);
        assertEquals("READY=1|STATUS=Accepting new connections|MAINPID=" + t.process().pid(), states.get(0), all);
        assertTrue(states.get(1).matches("RELOADING=1\\|STATUS=Reloading the configuration\\|MONOTONIC_USEC=\\d+"), all);
        assertEquals("READY=1|STATUS=Configuration successful", states.get(2), all);
        assertEquals("STOPPING=1|STATUS=Terminated", states.get(3), all);
        assertTrue(watchdogs >= 3, "WATCHDOG=1 every 100 ms while running: " + all);
        // the watchdog starts with READY and ends with the process
        assertTrue(lines.indexOf("WATCHDOG=1") > lines.indexOf(states.get(0)), all);
    }

    @Test
    void aFailedReloadIsReportedAsStatus() throws Exception {
        Path socket = dir.resolve("notify.sock");
        ManagedProcess receiver = res.add(ManagedProcess.start("notify", dir,
                List.of("python3", script("notify_receiver.py").toString(), socket.toString(), "20", "20"), false));
        awaitStdout(receiver, "bound");
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig c = new StunnelConfig().service("echo", s -> echoService(s, "127.0.0.1:0", echo.port()));
        TunnelProcess t = res.add(TunnelProcess.launch(List.of("env", "NOTIFY_SOCKET=" + socket), Binaries.underTest(),
                dir, "jstunnel", c).awaitReady());
        int mark = t.reload(c.copy().service("broken", s -> s.accept("127.0.0.1:0").connect(echo.port())
                .set("cert", dir.resolve("missing.pem"))));
        t.awaitLog(mark, StunnelLog.RELOAD_FAILED, 1);
        assertEquals(0, t.stop());
        receiver.exitCode(Timeouts.PEER_EXIT);
        List<String> states = Arrays.stream(receiver.stdout().split("\n"))
                .filter(l -> !l.equals("bound") && !l.equals("end")).toList();
        assertEquals(4, states.size(), receiver.stdout());
        assertEquals("READY=1|STATUS=Failed to reload the configuration file", states.get(2), receiver.stdout());
    }

    /** Sockets from systemd-socket-activate (TCP and Unix) serve; a service with no passed socket binds its own. */
    @Test
    void systemdActivatedListenersCarryTraffic() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        int tcp = Ports.freeLoopbackPort();
        Path unix = dir.resolve("tls.sock");
        StunnelConfig c = new StunnelConfig()
                .service("tcp", s -> echoService(s, "127.0.0.1:" + tcp, echo.port()))
                .service("unix", s -> echoService(s, unix.toString(), echo.port()))
                .service("own", s -> echoService(s, "127.0.0.1:0", echo.port()));
        List<String> activate = List.of("systemd-socket-activate", "-l", "127.0.0.1:" + tcp, "-l", unix.toString(),
                "--fdname=tls-tcp:tls-unix", "-E", "PATH=/usr/bin:/bin", "-E", "JAVA_HOME");
        TunnelProcess t = res.add(TunnelProcess.launch(activate, Binaries.underTest(), dir, "jstunnel", c));
        // systemd-socket-activate starts the program at the first connection: this client's
        Deadline d = Deadline.after(Timeouts.STARTUP);
        while (!Files.exists(unix) && !d.expired()) d.pause();
        SClient first = SClient.run(dir.resolve("clients"), tcp, List.of("-CAfile", pki.rootFile().toString()),
                "ping\n", Timeouts.STARTUP, "ping");
        assertNotNull(first.session(), first.toString());
        assertTrue(first.stdout().contains("ping"), first.toString());
        t.awaitReady();
        assertTrue(t.findLog(Pattern.compile("Service \\[tcp\\]: listening socket passed by systemd")).isPresent());
        assertTrue(t.findLog(Pattern.compile("Service \\[unix\\]: listening socket passed by systemd")).isPresent());
        assertTrue(t.findLog(Pattern.compile("Service \\[own\\]: listening socket passed by systemd")).isEmpty());
        assertTrue(t.findLog(Pattern.compile("systemd: listening socket tls-tcp \\(FD=3\\) on 127\\.0\\.0\\.1:" + tcp)).isPresent(),
                t.diagnostics());
        // the Unix one, through openssl's -unix
        assertEquals("ping", unixEcho(unix));
        // a reload that changes the TCP service unbinds it and takes systemd's socket again
        int mark = t.reload(c.copy().service("tcp", s -> echoService(s, "127.0.0.1:" + tcp, echo.port()).set("TIMEOUTidle", "77")));
        t.awaitLog(mark, StunnelLog.CONFIGURATION_SUCCESSFUL, 1);
        SClient after = SClient.run(dir.resolve("clients"), tcp, List.of("-CAfile", pki.rootFile().toString()),
                "ping\n", Duration.ofMillis(1500), "ping");
        assertTrue(after.stdout().contains("ping"), after.toString());
        assertEquals(0, t.stop());
        assertTrue(Files.exists(unix), "systemd's socket file is systemd's: jstunnel leaves it");
    }

    @Test
    void systemdAnalyzeAcceptsTheUnits() throws IOException {
        Path units = HOME.resolve("packaging/systemd");
        Path service = dir.resolve("jstunnel@.service");
        // verify checks that ExecStart's program exists: point it at this build's launcher
        Files.writeString(service, Files.readString(units.resolve("jstunnel@.service"))
                .replace("/usr/bin/jstunnel", HOME.resolve("bin/jstunnel").toString()));
        Files.copy(units.resolve("jstunnel.target"), dir.resolve("jstunnel.target"));
        Files.createSymbolicLink(dir.resolve("jstunnel@demo.service"), service.getFileName());
        ManagedProcess verify = res.add(ManagedProcess.start("verify", dir, List.of("systemd-analyze", "verify", "--man=no",
                dir.resolve("jstunnel@demo.service").toString(), dir.resolve("jstunnel.target").toString()), false));
        assertEquals(0, verify.exitCode(Timeouts.PEER_EXIT), verify.stderr() + verify.stdout());
        assertEquals("", verify.stderr() + verify.stdout(), "no warning either");
        String unit = Files.readString(units.resolve("jstunnel@.service"));
        for (String line : List.of("Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "LimitNOFILE=",
                "ExecStart=/usr/bin/jstunnel /etc/jstunnel/%i.conf", "PartOf=jstunnel.target", "NoNewPrivileges=yes")) {
            assertTrue(unit.contains(line), line);
        }
    }

    private Path script(String name) {
        Path p = dir.resolve(name);
        try (InputStream in = SystemdTest.class.getResourceAsStream("/ops/" + name)) {
            Files.copy(in, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static void awaitStdout(ManagedProcess p, String text) {
        Deadline d = Deadline.after(Timeouts.STARTUP);
        while (!p.stdout().contains(text)) {
            if (d.expired() || !p.isAlive()) throw new AssertionError(p.name() + " did not print " + text + "\n" + p.diagnostics());
            d.pause();
        }
    }

    /** openssl s_client -unix: sends "ping", returns the first line that came back. */
    private String unixEcho(Path socket) throws IOException, InterruptedException {
        ManagedProcess p = res.add(ManagedProcess.start("s_client-unix", dir, List.of(Binaries.OPENSSL, "s_client",
                "-unix", socket.toString(), "-CAfile", pki.rootFile().toString(), "-servername", "localhost",
                "-brief", "-verify_return_error"), true));
        p.process().getOutputStream().write("ping\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        p.process().getOutputStream().flush();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.process().getInputStream(),
                java.nio.charset.StandardCharsets.US_ASCII));
        String line = reader.readLine(); // the echo answers, or s_client ends on a failure
        p.process().getOutputStream().close();
        p.exitCode(Timeouts.PEER_EXIT);
        return line;
    }
}
