package org.jstunnel.hsm.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jstunnel.it.support.Timeouts;

/**
 * Runs programs with extra environment variables (SOFTHSM2_CONF, OPENSSL_CONF, OPENSSL_MODULES):
 * short commands to completion, and long-running ones through a wrapper script that exports them
 * and {@code exec}s the program (same pid, so the e2e harness's signals and waits still apply).
 */
public final class Env {
    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = new TreeMap<>(vars);
    }

    public Map<String, String> vars() {
        return Map.copyOf(vars);
    }

    public Env with(String name, String value) {
        Map<String, String> m = new TreeMap<>(vars);
        m.put(name, value);
        return new Env(m);
    }

    /** A script {@code dir/NAME} that exports the variables and execs {@code binary "$@"}. */
    public Path wrap(Path dir, String name, Path binary) {
        StringBuilder sb = new StringBuilder("#!/bin/sh\n# written by the jstunnel HSM tests\n");
        vars.forEach((k, v) -> sb.append("export ").append(k).append('=').append(quote(v)).append('\n'));
        sb.append("exec ").append(quote(binary.toString())).append(" \"$@\"\n");
        try {
            Files.createDirectories(dir);
            Path script = dir.resolve(name);
            Files.writeString(script, sb.toString(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    /** The result of a finished command. */
    public record Result(List<String> command, int exitCode, String output) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("failed (exit " + exitCode + "): " + String.join(" ", command) + "\n" + output);
            }
            return this;
        }
    }

    /** Runs {@code command} in {@code dir} to completion within {@code timeout} (stdin /dev/null, stderr merged). */
    public Result run(Path dir, List<String> command, java.time.Duration timeout) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(vars);
            Process p = pb.start();
            // output read on another thread so a hung command still times out
            java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
            }
            String text = new String(out.get(Timeouts.LOG_LINE.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            return new Result(List.copyOf(command), p.exitValue(), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("cannot read the output of " + command, e);
        }
    }

    public Result run(Path dir, String... command) {
        return run(dir, new ArrayList<>(List.of(command)), Timeouts.PEER_EXIT);
    }
}
