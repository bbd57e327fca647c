package org.jstunnel.it.protocol.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Timeouts;

/** Real client programs (python's smtplib/poplib/imaplib, openssl s_client, curl, psql), bounded in time. */
public final class Clients {
    private Clients() {}

    /** Whether the program under test is jstunnel (not stunnel4): for the documented safety differences. */
    public static boolean jstunnel() {
        return !Binaries.underTest().getFileName().toString().startsWith("stunnel");
    }

    public record Result(int exit, String output) {}

    /** Runs {@code command} with {@code input} on stdin; stdout and stderr together. */
    public static Result run(Path dir, String input, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            Thread feeder = Thread.ofPlatform().daemon().start(() -> {
                try (var in = p.getOutputStream()) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the program closed its stdin early
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(Timeouts.PEER_EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command + "\n" + new String(out, StandardCharsets.UTF_8));
            }
            feeder.join(1000);
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code python3 -c script args...}; must exit 0. */
    public static String python(Path dir, String script, Object... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
        for (Object a : args) cmd.add(String.valueOf(a));
        Result r = run(dir, "", cmd);
        if (r.exit() != 0) throw new AssertionError("python failed (exit " + r.exit() + "):\n" + r.output());
        return r.output();
    }
}
