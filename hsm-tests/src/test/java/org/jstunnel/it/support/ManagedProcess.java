package org.jstunnel.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One child process started by a test. Its stderr (and stdout, unless the owner reads it as a stream)
 * go to files in the test's work directory, so nothing can block on a full pipe. Every instance is
 * also registered for a JVM shutdown hook, so even an aborted test run leaves no process behind.
 */
public final class ManagedProcess implements AutoCloseable {
    private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ManagedProcess::kill), "kill-test-processes"));
    }

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path stdoutFile; // null when the owner reads stdout itself
    private final Path stderrFile;
    /** Descendants seen so far: still killed if a launcher script died without passing on a signal. */
    private final Set<ProcessHandle> knownDescendants = ConcurrentHashMap.newKeySet();

    private ManagedProcess(String name, List<String> command, Process process, Path stdoutFile, Path stderrFile) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
    }

    /**
     * Starts {@code command} in {@code dir}; stderr goes to {@code dir/name.stderr}; stdout to
     * {@code dir/name.stdout} unless {@code pipeStdout}; stdin is always a pipe.
     */
    public static ManagedProcess start(String name, Path dir, List<String> command, boolean pipeStdout) {
        try {
            Files.createDirectories(dir);
            Path err = dir.resolve(name + ".stderr");
            Path out = pipeStdout ? null : dir.resolve(name + ".stdout");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            if (out != null) {
                pb.redirectOutput(out.toFile());
            }
            Process p = pb.start();
            ManagedProcess mp = new ManagedProcess(name, List.copyOf(command), p, out, err);
            LIVE.add(mp);
            return mp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Remembers the current descendants (a launcher script's java), so that {@link #close()} can reach them. */
    public void snapshotDescendants() {
        process.descendants().forEach(knownDescendants::add);
    }

    public String stdout() {
        return stdoutFile == null ? "" : readQuietly(stdoutFile);
    }

    public String stderr() {
        return readQuietly(stderrFile);
    }

    /** Waits for exit; empty if still running after {@code timeout}. */
    public Optional<Integer> awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of(process.exitValue());
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name, e);
        }
    }

    /** Waits for exit or fails with the process's output. */
    public int exitCode(Duration timeout) {
        return awaitExit(timeout).orElseThrow(() -> new AssertionError(name + " did not exit within " + timeout));
    }

    /** Sends a signal by name (TERM, HUP, USR1, ...) with kill(1). */
    public void signal(String sig) {
        snapshotDescendants();
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!k.waitFor(Timeouts.LOG_LINE.toMillis(), TimeUnit.MILLISECONDS) || k.exitValue() != 0) {
                k.destroyForcibly();
                throw new AssertionError("kill -" + sig + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Command line and state. */
    public String describe() {
        return String.join(" ", command) + " [" + (process.isAlive() ? "running" : "exited with " + process.exitValue()) + "]";
    }

    /** Everything known about the process, for failure messages. */
    public String diagnostics() {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(name).append(": ").append(String.join(" ", command)).append('\n');
        sb.append("    state: ").append(process.isAlive() ? "running" : "exited with " + process.exitValue()).append('\n');
        if (stdoutFile != null) {
            sb.append("--- ").append(name).append(" stdout:\n").append(tail(stdout())).append('\n');
        }
        sb.append("--- ").append(name).append(" stderr:\n").append(tail(stderr())).append('\n');
        return sb.toString();
    }

    /** SIGTERM, a bounded wait, then SIGKILL; descendants too (a launcher script might not exec). */
    @Override
    public void close() {
        try {
            snapshotDescendants();
            List<ProcessHandle> children = List.copyOf(knownDescendants);
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(Timeouts.SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(Timeouts.SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            children.forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        } finally {
            LIVE.remove(this);
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        knownDescendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "<cannot read " + p + ": " + e + ">";
        }
    }

    /** The last part of a long text (a log can be long; the end is what explains a failure). */
    static String tail(String s) {
        int max = 20_000;
        return s.length() <= max ? s : "[... " + (s.length() - max) + " chars cut ...]\n" + s.substring(s.length() - max);
    }
}
