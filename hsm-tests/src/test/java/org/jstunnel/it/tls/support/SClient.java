package org.jstunnel.it.tls.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.Timeouts;

/**
 * One {@code openssl s_client} run to completion: writes {@code input}, keeps stdin open for
 * {@code hold} (long enough to read TLS 1.3 tickets, or an alert sent after the handshake), then
 * closes it and waits for the exit. Without {@code -brief}, stdout carries the session summary
 * ({@code New, TLSv1.3, ...} or {@code Reused, ...}) as well as the data received.
 */
public record SClient(int exitCode, String stdout, String stderr) {
    /** Pass in {@code args} to let s_client take "R" (renegotiate) and "Q" lines as commands. */
    public static final String COMMANDS = "-commands";
    /** In the input: write what came before, wait a moment, go on. */
    public static final String PAUSE = "\u0000";
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Pattern SESSION = Pattern.compile("(?m)^(New|Reused), (TLSv1\\.[0-3]|SSLv3)");

    public static SClient run(Path dir, int port, List<String> args, String input, Duration hold) {
        return run(dir, port, args, input, hold, null);
    }

    /** As {@link #run(Path, int, List, String, Duration)}, closing stdin early once stdout contains {@code until}. */
    public static SClient run(Path dir, int port, List<String> args, String input, Duration hold, String until) {
        // stdbuf: s_client's stdout is stdio-buffered when it is a file; unbuffered, "until" sees data at once
        List<String> cmd = new ArrayList<>(List.of("stdbuf", "-o0", Binaries.OPENSSL, "s_client",
                "-connect", Ports.loopback(port)));
        // "-commands" (not an s_client flag) keeps s_client's line commands: "R" renegotiates
        if (!args.contains(COMMANDS)) cmd.add("-nocommands");
        args.stream().filter(a -> !a.equals(COMMANDS)).forEach(cmd::add);
        int n = RUNS.incrementAndGet();
        Path out = dir.resolve("s_client-" + n + ".stdout");
        Path err = dir.resolve("s_client-" + n + ".stderr");
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            try {
                OutputStream in = p.getOutputStream();
                if (input != null && !input.isEmpty()) {
                    // PAUSE splits the input into separate reads (s_client takes "R" as a command only
                    // when it starts what one read returns)
                    String[] parts = input.split(PAUSE, -1);
                    for (int i = 0; i < parts.length; i++) {
                        if (i > 0) Thread.sleep(300);
                        in.write(parts[i].getBytes(StandardCharsets.ISO_8859_1));
                        in.flush();
                    }
                }
                long end = System.nanoTime() + hold.toNanos();
                while (System.nanoTime() < end) {
                    if (p.waitFor(Timeouts.POLL.toMillis(), TimeUnit.MILLISECONDS)) return done(p, out, err);
                    if (until != null && Files.readString(out, StandardCharsets.ISO_8859_1).contains(until)) break;
                }
                in.close();
            } catch (IOException e) {
                // s_client already exited and closed its stdin
            }
            if (!p.waitFor(Timeouts.PEER_EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("s_client did not exit: " + String.join(" ", cmd));
            }
            return done(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static SClient done(Process p, Path out, Path err) throws IOException {
        return new SClient(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    /** "New" or "Reused" from the session summary; null if there was none (handshake failed). */
    public String session() {
        Matcher m = SESSION.matcher(stdout);
        return m.find() ? m.group(1) : null;
    }

    public boolean reused() { return "Reused".equals(session()); }

    /** Everything s_client printed. */
    public String all() { return stdout + "\n" + stderr; }

    /** The alert s_client reported receiving, e.g. "unknown ca" with its number, or null. */
    public Integer alertNumber() {
        Matcher m = Pattern.compile("SSL alert number (\\d+)").matcher(all());
        return m.find() ? Integer.parseInt(m.group(1)) : null;
    }

    @Override
    public String toString() {
        return "s_client exit " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
    }
}
