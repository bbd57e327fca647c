package org.jstunnel.hsm.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bystander: one established TLS connection through the tunnel to an echo backend, 32 bytes every
 * 10 ms, each round trip timed, to show whether other work (a slow token) stalls the proxy. It runs in
 * its own process ({@code round_trip_probe.py}), so the test JVM's own pauses under load (GC, its
 * client threads) never count against the tunnel. Samples carry CLOCK_MONOTONIC times, the clock of
 * {@link System#nanoTime}, so a test picks the window it means.
 */
public final class RoundTripProbe implements AutoCloseable {
    private static final int MAX_SECONDS = 120;
    private final Process process;
    private final Thread reader;
    private final List<long[]> samples = Collections.synchronizedList(new ArrayList<>());

    private RoundTripProbe(Process process) throws IOException {
        this.process = process;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (!"ready".equals(first)) throw new AssertionError("the probe did not connect: " + first + " " + stderr());
        reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    String[] f = l.trim().split(" ");
                    if (f.length == 2) samples.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
                }
            } catch (IOException | NumberFormatException ignored) {
                // the probe ended
            }
        });
    }

    /** Connects through 127.0.0.1:{@code port} (a TLS service whose certificate {@code caFile} trusts). */
    public static RoundTripProbe start(int port, Path caFile) {
        try {
            Path script = Path.of(RoundTripProbe.class.getResource("/round_trip_probe.py").toURI());
            Process p = new ProcessBuilder("python3", script.toString(), "127.0.0.1", Integer.toString(port),
                    caFile.toString(), Integer.toString(MAX_SECONDS)).start();
            return new RoundTripProbe(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Round trips sent between the two {@link System#nanoTime} values. */
    public Window window(long fromNanos, long toNanos) {
        List<Long> s = new ArrayList<>();
        synchronized (samples) {
            for (long[] x : samples) if (x[0] >= fromNanos && x[0] <= toNanos) s.add(x[1]);
        }
        if (!process.isAlive() && process.exitValue() != 0) throw new AssertionError("the probe failed: " + stderr());
        if (s.isEmpty()) throw new AssertionError("no round trip measured");
        Collections.sort(s);
        return new Window(s);
    }

    /** Sorted round trips of a window. */
    public record Window(List<Long> sorted) {
        public int count() { return sorted.size(); }

        /** The q-quantile (0..1) in milliseconds. */
        public double millis(double q) {
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1))) / 1e6;
        }
    }

    private String stderr() {
        try {
            return new String(process.getErrorStream().readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close(); // the probe stops when its stdin closes
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        reader.join(5000);
    }
}
