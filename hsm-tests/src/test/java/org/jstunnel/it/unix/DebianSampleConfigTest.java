package org.jstunnel.it.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.JailDir;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.ProcStatus;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's own sample ({@code /usr/share/doc/stunnel4/examples/stunnel.conf-sample}) as a new user
 * would try it: its {@code setuid}, {@code setgid}, {@code pid}, {@code foreground}, {@code debug} and
 * {@code output} lines uncommented, a {@code chroot} added (its pid comment speaks of the jail), and
 * only what must be local made local (the log and pid paths, the accept ports, the remote hosts).
 * It starts, runs as the stunnel4 user inside the jail, and its services accept connections. The
 * same for stunnel4.
 */
class DebianSampleConfigTest extends EcPkiTestSupport {
    private static final Path SAMPLE = Path.of("/usr/share/doc/stunnel4/examples/stunnel.conf-sample");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void theSampleWithPrivilegesPidAndChrootRuns(String which) throws Exception {
        Path bin = which.equals("jstunnel") ? Binaries.underTest() : Binaries.stunnel4();
        int user = ProcStatus.uid("stunnel4");
        int group = ProcStatus.gid("stunnel4");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        JailDir jail = new JailDir(dir.resolve("jail"));
        Path pid = dir.resolve("run/stunnel.pid");
        Path log = dir.resolve("log/stunnel.log");
        jail.sharedDir(pid.getParent());
        jail.sharedDir(log.getParent());
        int deadPort = Ports.freeLoopbackPort(); // nothing listens: the remote end refuses

        List<String> out = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        Pattern accept = Pattern.compile("^accept = 127\\.0\\.0\\.1:\\d+$");
        Pattern connect = Pattern.compile("^connect = [^:]+:\\d+$");
        for (String line : Files.readAllLines(SAMPLE, StandardCharsets.UTF_8)) {
            String l = line.replace("\uFEFF", "");
            if (l.equals(";setuid = stunnel4") || l.equals(";setgid = stunnel4") || l.equals(";foreground = yes")
                    || l.equals(";debug = info")) {
                out.add(l.substring(1));
            } else if (l.equals(";pid = /var/run/stunnel.pid")) {
                out.add("pid = " + pid);
                out.add("chroot = " + jail.root());
            } else if (l.equals(";output = /var/log/stunnel.log")) {
                out.add("output = " + log);
            } else if (accept.matcher(l).matches()) {
                int p = Ports.freeLoopbackPort();
                ports.add(p);
                out.add("accept = 127.0.0.1:" + p);
            } else if (connect.matcher(l).matches()) {
                out.add("connect = 127.0.0.1:" + deadPort);
            } else {
                out.add(line);
            }
        }
        assertTrue(out.contains("setuid = stunnel4") && out.contains("chroot = " + jail.root()), "sample changed?");
        assertEquals(3, ports.size(), "the sample's three services");
        Path conf = dir.resolve("stunnel.conf");
        Files.write(conf, out, StandardCharsets.UTF_8);
        jail.copy(conf);

        ManagedProcess proc = res.add(ManagedProcess.start(which, dir, List.of(bin.toString(), conf.toString()), false));
        Path realLog = jail.inside(log);
        try {
            Logs.await(realLog, 0, TunnelProcess.READY, 1, Timeouts.STARTUP, proc::isAlive);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + proc.diagnostics() + Logs.render(Logs.read(realLog)));
        }
        long p = proc.pid();
        assertEquals(jail.root().toRealPath(), Path.of("/proc/" + p + "/root").toRealPath());
        String u = user + " " + user + " " + user + " " + user;
        assertEquals(List.of(u), ProcStatus.threadFields(p, "Uid").stream().distinct().toList());
        assertEquals(List.of(group + " " + group + " " + group + " " + group),
                ProcStatus.threadFields(p, "Gid").stream().distinct().toList());
        assertEquals(p + "\n", Files.readString(jail.inside(pid)));
        assertEquals(user, (Integer) Files.getAttribute(jail.inside(pid), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(pid) || Files.exists(log), "nothing outside the jail");

        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            String service = List.of("gmail-pop3", "gmail-imap", "gmail-smtp").get(i);
            int mark = Logs.read(realLog).size();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(Ports.LOOPBACK, port), (int) Timeouts.LOG_LINE.toMillis());
                s.setSoTimeout((int) Timeouts.LOG_LINE.toMillis());
                assertEquals(-1, s.getInputStream().read(), "closed after the refused remote connect");
            } catch (java.net.SocketException reset) {
                // reset = yes (the default): the connection ends with a TCP RST, possibly before connect() returns
            }
            try {
                Logs.await(realLog, mark, Pattern.compile(Pattern.quote("Service [" + service + "] accepted connection from 127.0.0.1:") + "\\d+"),
                        1, Timeouts.LOG_LINE, proc::isAlive);
            } catch (AssertionError e) {
                throw new AssertionError("port " + port + " of " + ports + ": " + e.getMessage() + "\n"
                        + Logs.render(Logs.read(realLog)) + "\n" + Files.readString(conf));
            }
            Logs.await(realLog, mark, Pattern.compile(Pattern.quote("s_connect: connect 127.0.0.1:" + deadPort
                    + ": Connection refused (111)")), 1, Timeouts.LOG_LINE, proc::isAlive);
        }
        proc.signal("TERM");
        assertEquals(0, proc.exitCode(Timeouts.SHUTDOWN));
        assertFalse(Files.exists(jail.inside(pid)), "pid file removed at exit");
    }
}
