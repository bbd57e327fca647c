package org.jstunnel.it.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.JailDir;
import org.jstunnel.it.support.LogLine;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.ProcStatus;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TlsClient;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code chroot} with {@code setuid}/{@code setgid}: the process's root is the jail; the log file,
 * the pid file and the {@code exec} program are found inside it (the same absolute paths, under the
 * jail), nothing is created outside; traffic flows to a TCP backend and through the jailed program;
 * a reload reads the configuration and certificates inside the jail and binds a new service; the
 * pid file is removed at exit. The same for stunnel4.
 */
class ChrootTest extends EcPkiTestSupport {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void servesExecsAndReloadsInsideTheJail(String which) throws Exception {
        Path bin = which.equals("jstunnel") ? Binaries.underTest() : Binaries.stunnel4();
        int nobody = ProcStatus.uid("nobody");
        int nogroup = ProcStatus.gid("nogroup");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        JailDir jail = new JailDir(dir.resolve("jail"));
        jail.program(Path.of("/bin/cat"));
        Path runDir = dir.resolve("run");
        Path logDir = dir.resolve("log");
        Files.createDirectories(runDir);
        Files.createDirectories(logDir);
        jail.sharedDir(runDir);
        jail.sharedDir(logDir);
        Path pid = runDir.resolve(which + ".pid");
        Path log = logDir.resolve(which + ".log");
        Path conf = dir.resolve("conf").resolve(which + ".conf");
        Files.createDirectories(conf.getParent());
        jail.copy(pki.server().certFile());
        // after setuid a reload reads the key as nobody (a deployment gives the key to the service user)
        Files.setAttribute(jail.copy(pki.server().keyFile()), "unix:uid", nobody);

        EchoBackend echo = res.add(new EchoBackend());
        int p2 = Ports.freeLoopbackPort();
        StunnelConfig c = new StunnelConfig()
                .global("chroot", jail.root().toString())
                .global("setuid", Integer.toString(nobody)).global("setgid", Integer.toString(nogroup))
                .global("pid", pid.toString())
                .service("echo", s -> s.accept("127.0.0.1:0").connect(echo.port()).identity(pki.server()))
                .service("cat", s -> s.accept("127.0.0.1:0").set("exec", "/bin/cat").identity(pki.server()));
        Files.writeString(conf, c.render(log));
        jail.copy(conf); // what a reload reads
        ManagedProcess proc = res.add(ManagedProcess.start(which, dir, List.of(bin.toString(), conf.toString()), false));
        Path realLog = jail.inside(log);
        try {
            Logs.await(realLog, 0, TunnelProcess.READY, 1, Timeouts.STARTUP, proc::isAlive);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + proc.diagnostics() + Logs.render(Logs.read(realLog)));
        }
        long p = proc.pid();
        assertEquals(jail.root().toRealPath(), Path.of("/proc/" + p + "/root").toRealPath(), "the process's root");
        assertTrue(Logs.first(Logs.read(realLog),
                Pattern.compile(Pattern.quote("Switched to chroot directory: " + jail.root()))).isPresent());
        assertEquals(p + "\n", Files.readString(jail.inside(pid)), "pid file inside the jail");
        assertFalse(Files.exists(pid), "no pid file outside the jail");
        assertFalse(Files.exists(log), "no log file outside the jail");
        assertEquals(nobody + " " + nobody + " " + nobody + " " + nobody, ProcStatus.field(p, "Uid"));

        Payload payload = Payload.of(50_000);
        Exchange ex = Exchange.run(TlsClient.connect(port(realLog, "echo"), pki.caFile(), "TLSv1.3"), payload)
                .requireSuccess();
        assertEquals(payload.digest(), ex.received(), "round trip to the backend from inside the jail");
        assertCatEchoes(port(realLog, "cat"), p, jail);

        // reload: the jailed copy of the configuration gains a service
        int mark = Logs.read(realLog).size();
        StunnelConfig more = c.copy().service("two", s -> s.accept(Ports.loopback(p2)).connect(echo.port())
                .identity(pki.server()));
        Files.writeString(jail.inside(conf), more.render(log));
        proc.signal("HUP");
        try {
            Logs.await(realLog, mark, Pattern.compile("Service \\[two\\] \\(FD=\\d+\\) bound to 127\\.0\\.0\\.1:" + p2),
                    1, Timeouts.LOG_LINE, proc::isAlive);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + Logs.render(Logs.read(realLog)));
        }
        ex = Exchange.run(TlsClient.connect(p2, pki.caFile(), "TLSv1.3"), payload).requireSuccess();
        assertEquals(payload.digest(), ex.received(), "round trip through the service added by the reload");
        assertCatEchoes(port(realLog, "cat"), p, jail);

        proc.signal("TERM");
        assertEquals(0, proc.exitCode(Timeouts.SHUTDOWN));
        assertFalse(Files.exists(jail.inside(pid)), "pid file removed at exit");
    }

    private static void assertCatEchoes(int port, long pid, JailDir jail) throws Exception {
        try (SSLSocket s = TlsClient.connect(port, pki.caFile(), "TLSv1.3")) {
            OutputStream out = s.getOutputStream();
            out.write("jailed\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            assertEquals("jailed\n", new String(in.readNBytes(7), StandardCharsets.US_ASCII), "echo of the jailed cat");
            long child = ProcessHandle.of(pid).orElseThrow().children().findFirst().orElseThrow().pid();
            assertEquals(jail.root().toRealPath(), Path.of("/proc/" + child + "/root").toRealPath(), "the child's root");
        }
    }

    private static int port(Path log, String service) {
        Pattern bound = Pattern.compile("Service \\[" + service + "\\] \\(FD=\\d+\\) bound to 127\\.0\\.0\\.1:(\\d+)");
        int port = -1; // the latest: stunnel binds every listener again on reload (port 0: a new port)
        for (LogLine l : Logs.read(log)) {
            Matcher m = bound.matcher(l.text());
            if (m.matches()) port = Integer.parseInt(m.group(1));
        }
        if (port > 0) return port;
        throw new AssertionError("service " + service + " not bound: " + Logs.read(log));
    }
}
