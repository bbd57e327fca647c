package org.jstunnel.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Curl;
import org.jstunnel.it.support.HttpBackend;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.tls.support.CaPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package, as an operator meets it: scripts/build-deb.sh builds it from this tree,
 * lintian finds no error, {@code apt install ./jstunnel_*.deb} installs it, {@code /usr/bin/jstunnel}
 * runs on its own runtime (no JDK on its PATH or in its environment) with the sample configuration
 * (its ports and files moved to the test's) and carries curl's HTTPS requests to a backend; the
 * installed units pass systemd-analyze verify; remove, then purge, leave nothing behind. Needs root
 * (apt), as CI has.
 */
class DebianPackageTest {
    private static final Path HOME = Path.of(System.getProperty("jstunnel.home", "..")).toAbsolutePath().normalize();
    private static final Duration BUILD = Duration.ofMinutes(10);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final Resources res = new Resources();

    @Test
    void buildsInstallsTunnelsAndPurgesCleanly() throws Exception {
        assertEquals("0", run(List.of("id", "-u"), Duration.ofSeconds(10)).trim(), "installing a package needs root (CI runs as root)");
        String built = run(List.of(HOME.resolve("scripts/build-deb.sh").toString(), dir.resolve("deb").toString()), BUILD);
        Path deb = Path.of(built.lines().reduce((a, b) -> b).orElseThrow().trim());
        assertTrue(deb.getFileName().toString().matches("jstunnel_[0-9][^_]*_amd64\\.deb"), deb.toString());

        String lintian = run(List.of("lintian", "--fail-on", "error", deb.toString()), Duration.ofMinutes(5));
        assertFalse(lintian.lines().anyMatch(l -> l.startsWith("E: ")), lintian);

        purgeQuietly(); // a run that died half-way may have left it installed
        try {
            run(apt("install", "-y", "--no-install-recommends", deb.toString()), Duration.ofMinutes(5));
            assertTrue(Files.isSymbolicLink(Path.of("/usr/bin/jstunnel")));
            assertTrue(Files.isRegularFile(Path.of("/lib/systemd/system/jstunnel@.service")));
            assertTrue(Files.isRegularFile(Path.of("/usr/share/man/man8/jstunnel.8.gz")));
            String man = run(List.of("sh", "-c", "zcat /usr/share/man/man8/jstunnel.8.gz | MANWIDTH=100 man -l - 2>&1"), Duration.ofSeconds(60));
            assertTrue(man.contains("adminListen") && man.contains("TIMEOUTidle") && man.contains("SERVICE-LEVEL OPTIONS"), man);

            // its own runtime: with no JDK in the environment the launcher picks /usr/lib/jstunnel/runtime
            String version = run(List.of("env", "-i", "PATH=/usr/bin:/bin", "JSTUNNEL_LAUNCHER_DEBUG=1",
                    "/usr/bin/jstunnel", "-version"), Duration.ofSeconds(60));
            assertTrue(version.contains("jstunnel: exec /usr/lib/jstunnel/runtime/bin/java "), version);
            assertTrue(version.contains("Compiled/running with OpenSSL 3"), version);

            // the installed units, as installed
            Path units = dir.resolve("units");
            Files.createDirectories(units);
            Files.createSymbolicLink(units.resolve("jstunnel@sample.service"), Path.of("/lib/systemd/system/jstunnel@.service"));
            String verify = run(List.of("systemd-analyze", "verify", "--man=no", units.resolve("jstunnel@sample.service").toString(),
                    "/lib/systemd/system/jstunnel.target"), Duration.ofSeconds(60));
            assertEquals("", verify.trim());

            tunnelWithTheSampleConfiguration();

            run(apt("remove", "-y", "jstunnel"), Duration.ofMinutes(3));
            assertFalse(Files.exists(Path.of("/usr/bin/jstunnel"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertFalse(Files.exists(Path.of("/usr/lib/jstunnel")), "the runtime goes with the package");
            assertTrue(Files.exists(Path.of("/etc/logrotate.d/jstunnel")), "remove keeps conffiles");
            run(apt("purge", "-y", "jstunnel"), Duration.ofMinutes(3));
            assertFalse(Files.exists(Path.of("/etc/logrotate.d/jstunnel")), "purge removes conffiles");
            assertFalse(Files.exists(Path.of("/lib/systemd/system/jstunnel@.service")));
            String status = runStatus(List.of("dpkg-query", "-W", "-f=${Status}", "jstunnel"));
            assertFalse(status.contains("installed"), status);
        } finally {
            purgeQuietly();
        }
    }

    /** The sample configuration with its ports and files moved to the test's, run by /usr/bin/jstunnel. */
    private void tunnelWithTheSampleConfiguration() throws Exception {
        CaPki pki = CaPki.create(dir.resolve("pki"));
        HttpBackend web = res.add(new HttpBackend());
        int tls = Ports.freeLoopbackPort(), admin = Ports.freeLoopbackPort();
        Path log = dir.resolve("sample.log");
        String sample = Files.readString(Path.of("/usr/share/doc/jstunnel/examples/jstunnel.conf"));
        String conf = sample.replace("127.0.0.1:8443", "127.0.0.1:" + tls)
                .replace("127.0.0.1:8080", "127.0.0.1:" + web.port())
                .replace("127.0.0.1:9100", "127.0.0.1:" + admin)
                .replace("/var/log/jstunnel/sample.log", log.toString())
                .replace("/etc/jstunnel/jstunnel.pem", pki.server.chainFile().toString())
                .replace("/etc/jstunnel/jstunnel.key", pki.server.keyFile().toString());
        assertFalse(conf.equals(sample));
        Path file = dir.resolve("sample.conf");
        Files.writeString(file, "foreground = yes\n" + conf);
        ManagedProcess j = res.add(ManagedProcess.start("jstunnel-installed", dir,
                List.of("env", "-i", "PATH=/usr/bin:/bin", "/usr/bin/jstunnel", file.toString()), false));
        // the sample logs at notice (no "Accepting new connections"): /ready says when it serves
        Logs.await(log, 0, Pattern.compile("Configuration successful"), 1, Timeouts.STARTUP, j::isAlive);
        org.jstunnel.it.support.Deadline d = org.jstunnel.it.support.Deadline.after(Timeouts.STARTUP);
        while (!isReady(admin) && !d.expired()) d.pause();
        for (int i = 0; i < 3; i++) {
            ManagedProcess c = Curl.run(dir, "curl-" + i, tls, pki.rootFile(), List.of("-o", "/dev/null",
                    Curl.url(tls, "/payload/100000")));
            assertEquals(0, c.exitCode(Timeouts.PEER_EXIT), c.stderr());
            assertEquals("200 0 1\n", c.stdout());
        }
        assertEquals(3, web.requests());
        AdminScrape m = AdminScrape.tcp(admin, "/metrics");
        assertEquals(3, m.count("jstunnel_connections_total", "service=\"https\""), m.body());
        assertEquals(new AdminScrape(200, "ready\n"), AdminScrape.tcp(admin, "/ready"));
        j.signal("TERM");
        assertEquals(0, j.exitCode(Timeouts.SHUTDOWN));
    }

    private static boolean isReady(int admin) {
        try {
            return AdminScrape.tcp(admin, "/ready").status() == 200;
        } catch (AssertionError notYetListening) {
            return false; // curl: connection refused
        }
    }

    private static List<String> apt(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get",
                "-o", "DPkg::Lock::Timeout=120", "-q"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void purgeQuietly() {
        if (runStatus(List.of("dpkg-query", "-W", "-f=${Status}", "jstunnel")).contains("installed")) {
            runStatus(apt("purge", "-y", "jstunnel"));
        }
    }

    /** Runs a command to completion within {@code limit}; fails with its output unless it exits 0. */
    private static String run(List<String> cmd, Duration limit) {
        Result r = exec(cmd, limit);
        if (r.exit != 0) throw new AssertionError("exit " + r.exit + ": " + String.join(" ", cmd) + "\n" + r.out);
        return r.out;
    }

    private static String runStatus(List<String> cmd) {
        return exec(cmd, Duration.ofMinutes(3)).out;
    }

    private record Result(int exit, String out) {}

    private static Result exec(List<String> cmd, Duration limit) {
        try {
            Path out = Files.createTempFile("jstunnel-pkg", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new AssertionError("timed out after " + limit + ": " + cmd + "\n" + Files.readString(out));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
