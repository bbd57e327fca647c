package org.jstunnel.hsm.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Handshake load from outside the test JVM: {@code clients} parallel {@code openssl s_time -new}
 * processes, each making full handshakes (no resumption) one after another for {@code run}, at the
 * lowest CPU priority so that on one (small, shared) machine the load generator does not starve the
 * tunnel it measures.
 */
public final class STimeLoad {
    private static final Pattern DONE = Pattern.compile("(\\d+) connections in (\\d+) real seconds");

    private STimeLoad() {}

    /** Full handshakes completed by all clients, and the seconds they ran. */
    public record Result(long handshakes, double seconds, List<String> trouble) {
        public double perSecond() { return handshakes / seconds; }
    }

    public static Result run(int port, int clients, Duration run) {
        List<Process> ps = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                // at the lowest priority: clients are elsewhere in real life, here they must not starve the tunnel
                ps.add(new ProcessBuilder("nice", "-n", "19", "openssl", "s_time", "-connect", "127.0.0.1:" + port, "-new", "-time",
                        Long.toString(run.toSeconds())).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start());
            }
            long total = 0;
            List<String> trouble = new ArrayList<>();
            for (Process p : ps) {
                if (!p.waitFor(run.toSeconds() + 60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    trouble.add("s_time never ended");
                    continue;
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                Matcher m = DONE.matcher(out);
                if (m.find()) total += Long.parseLong(m.group(1));
                else trouble.add(out.strip());
            }
            return new Result(total, run.toMillis() / 1000.0, trouble);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            ps.forEach(Process::destroyForcibly);
        }
    }
}
