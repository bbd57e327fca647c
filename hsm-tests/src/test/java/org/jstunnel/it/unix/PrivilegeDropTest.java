package org.jstunnel.it.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.ProcStatus;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TlsClient;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code setuid = nobody}, {@code setgid = nogroup}, {@code pid = FILE}: what a user checks with ps
 * and ls. Every thread of the running process and the {@code exec} child run as nobody:nogroup with
 * no other group; the pid file holds the pid, belongs to nobody, mode 0644, and is gone after
 * SIGTERM; the listeners were bound before the drop (a port below 1024 works). The same for stunnel4.
 * The tests run as root (CI does).
 */
class PrivilegeDropTest extends EcPkiTestSupport {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void everyThreadAndTheExecChildRunAsTheUserAndThePidFileIsTheUsers(String which) throws Exception {
        Path bin = which.equals("jstunnel") ? Binaries.underTest() : Binaries.stunnel4();
        int nobody = ProcStatus.uid("nobody");
        int nogroup = ProcStatus.gid("nogroup");
        // the unprivileged user opens the log and writes the pid file (stunnel: after drop_privileges)
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path pidFile = dir.resolve(which + ".pid");
        EchoBackend echo = res.add(new EchoBackend());
        int privileged = privilegedFreePort();
        TunnelProcess t = res.add(TunnelProcess.start(dir, which, new StunnelConfig()
                .global("setuid", "nobody").global("setgid", "nogroup").global("pid", pidFile.toString())
                .service("echo", s -> s.accept("127.0.0.1:" + privileged).connect(echo.port()).identity(pki.server()))
                .service("cat", s -> s.accept("127.0.0.1:0").set("exec", "/bin/cat").identity(pki.server()))));
        long pid = t.process().pid();

        List<String> uids = ProcStatus.threadFields(pid, "Uid");
        assertTrue(uids.size() > 1, "threads: " + uids);
        String u = nobody + " " + nobody + " " + nobody + " " + nobody;
        String g = nogroup + " " + nogroup + " " + nogroup + " " + nogroup;
        assertEquals(List.of(u), uids.stream().distinct().toList(), "real, effective, saved, fs uid of every thread");
        assertEquals(List.of(g), ProcStatus.threadFields(pid, "Gid").stream().distinct().toList(), "gids of every thread");
        assertEquals(List.of(Integer.toString(nogroup)), ProcStatus.threadFields(pid, "Groups").stream().distinct().toList(),
                "supplementary groups: setgroups to the group alone");

        assertEquals(pid + "\n", Files.readString(pidFile));
        assertEquals(nobody, (Integer) Files.getAttribute(pidFile, "unix:uid", LinkOption.NOFOLLOW_LINKS), "pid file owner");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pidFile)));
        assertEquals(nobody, (Integer) Files.getAttribute(t.logFile(), "unix:uid", LinkOption.NOFOLLOW_LINKS),
                "the log file is opened after the drop");

        Payload p = Payload.of(20_000);
        Exchange ex = Exchange.run(TlsClient.connect(privileged, pki.caFile(), "TLSv1.3"), p).requireSuccess();
        assertEquals(p.digest(), ex.received(), "traffic on port " + privileged + " bound before the drop");

        try (SSLSocket s = TlsClient.connect(t.port("cat"), pki.caFile(), "TLSv1.3")) {
            OutputStream out = s.getOutputStream();
            out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] five = in.readNBytes(5);
            assertEquals("ping\n", new String(five, StandardCharsets.US_ASCII), "echo of the exec'd cat");
            long child = awaitChild(pid);
            assertEquals(u, ProcStatus.field(child, "Uid"), "uid of the exec child");
            assertEquals(g, ProcStatus.field(child, "Gid"), "gid of the exec child");
            assertEquals(Integer.toString(nogroup), ProcStatus.field(child, "Groups"), "groups of the exec child");
        }

        assertEquals(0, t.stop(), "exit code after SIGTERM");
        assertFalse(Files.exists(pidFile), "the pid file is removed at exit");
    }

    /** In a section, setuid/setgid give its Unix socket to that user and group (stunnel's bind_port). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void aSectionsUserAndGroupOwnItsUnixSocket(String which) throws Exception {
        Path bin = which.equals("jstunnel") ? Binaries.underTest() : Binaries.stunnel4();
        int nobody = ProcStatus.uid("nobody");
        int nogroup = ProcStatus.gid("nogroup");
        Path sock = dir.resolve(which + ".sock");
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess t = res.add(TunnelProcess.launch(bin, dir, which, new StunnelConfig()
                .service("unix", s -> s.accept(sock.toString()).connect(echo.port()).identity(pki.server())
                        .set("setuid", "nobody").set("setgid", "nogroup")))).awaitReady();
        assertEquals(nobody, (Integer) Files.getAttribute(sock, "unix:uid", LinkOption.NOFOLLOW_LINKS), "socket owner");
        assertEquals(nogroup, (Integer) Files.getAttribute(sock, "unix:gid", LinkOption.NOFOLLOW_LINKS), "socket group");
        assertEquals("0 0 0 0", ProcStatus.field(t.process().pid(), "Uid"), "a section's setuid leaves the process as it is");
        assertEquals(0, t.stop());
    }

    private static long awaitChild(long pid) {
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (true) {
            var child = ProcessHandle.of(pid).orElseThrow().children()
                    .filter(c -> c.info().command().map(cmd -> cmd.endsWith("/cat")).orElse(false)).findFirst();
            if (child.isPresent()) return child.get().pid();
            if (d.expired()) throw new AssertionError("no exec child of " + pid);
            d.pause();
        }
    }

    /** A free port below 1024 on loopback: only root may bind it, so it shows binding came first. */
    private static int privilegedFreePort() throws Exception {
        for (int port = 990; port > 900; port--) {
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (java.io.IOException busy) {
                // next
            }
        }
        throw new AssertionError("no free port in 901..990");
    }
}
