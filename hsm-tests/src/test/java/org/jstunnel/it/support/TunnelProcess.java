package org.jstunnel.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stunnel-compatible program (jstunnel, or stunnel4 as a peer) running one configuration file:
 * writes the config, starts {@code BINARY CONFIGFILE}, waits for {@code Accepting new connections},
 * knows the ports from {@code Service [NAME] (FD=N) bound to ADDR:PORT}, and stops it with SIGTERM.
 */
public final class TunnelProcess implements AutoCloseable, Diagnosable {
    public static final Pattern READY = Pattern.compile("Accepting new connections");
    public static final Pattern BOUND = Pattern.compile("Service \\[(.+)\\] \\(FD=\\d+\\) bound to (.+):(\\d+)");

    private final String label;
    private final Path configFile;
    private final Path logFile;
    private final ManagedProcess process;
    private volatile StunnelConfig config;

    private TunnelProcess(String label, Path configFile, Path logFile, ManagedProcess process, StunnelConfig config) {
        this.label = label;
        this.configFile = configFile;
        this.logFile = logFile;
        this.process = process;
        this.config = config;
    }

    /** Starts the program under test ({@code jstunnel.bin}) and waits until it accepts connections. */
    public static TunnelProcess start(Path dir, String label, StunnelConfig config) {
        return launch(Binaries.underTest(), dir, label, config).awaitReady();
    }

    /** Starts {@code binary} without waiting: for configurations that are expected to fail. */
    public static TunnelProcess launch(Path binary, Path dir, String label, StunnelConfig config) {
        return launch(List.of(), binary, dir, label, config);
    }

    /** As {@link #launch(Path, Path, String, StunnelConfig)}, run through {@code prefix} (e.g. env, systemd-socket-activate). */
    public static TunnelProcess launch(List<String> prefix, Path binary, Path dir, String label, StunnelConfig config) {
        try {
            Files.createDirectories(dir);
            Path conf = dir.resolve(label + ".conf");
            Path log = dir.resolve(label + ".log");
            Files.writeString(conf, config.render(log), StandardCharsets.UTF_8);
            List<String> cmd = new java.util.ArrayList<>(prefix);
            cmd.add(binary.toString());
            cmd.add(conf.toString());
            ManagedProcess p = ManagedProcess.start(label, dir, cmd, false);
            return new TunnelProcess(label, conf, log, p, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code Accepting new connections}; on failure the process is stopped before the error propagates. */
    public TunnelProcess awaitReady() {
        try {
            Logs.await(logFile, 0, READY, 1, Timeouts.STARTUP, process::isAlive);
            process.snapshotDescendants();
            return this;
        } catch (AssertionError e) {
            close();
            throw new AssertionError(label + " did not start: " + e.getMessage() + "\n" + diagnostics());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public Path configFile() {
        return configFile;
    }

    public Path logFile() {
        return logFile;
    }

    public StunnelConfig config() {
        return config;
    }

    public ManagedProcess process() {
        return process;
    }

    public List<LogLine> log() {
        return Logs.read(logFile);
    }

    /** The port service {@code name} is bound to (the latest {@code bound to} line, so a reload is honoured). */
    public int port(String service) {
        Integer p = latestPorts().get(service);
        if (p == null) {
            throw new AssertionError("no 'Service [" + service + "] (FD=N) bound to ADDR:PORT' in the log of " + label);
        }
        return p;
    }

    public Map<String, Integer> latestPorts() {
        Map<String, Integer> ports = new HashMap<>();
        for (LogLine l : log()) {
            Matcher m = BOUND.matcher(l.text());
            if (m.matches()) {
                ports.put(m.group(1), Integer.parseInt(m.group(3)));
            }
        }
        return ports;
    }

    /** Waits for one more line matching {@code p} anywhere in the log. */
    public LogLine awaitLog(Pattern p) {
        return awaitLog(0, p, 1).get(0);
    }

    /** Waits until {@code count} lines after line index {@code from} match {@code p}. */
    public List<LogLine> awaitLog(int from, Pattern p, int count) {
        return Logs.await(logFile, from, p, count, Timeouts.LOG_LINE, process::isAlive);
    }

    /** Number of log lines so far: a mark for {@link #awaitLog(int, Pattern, int)}. */
    public int mark() {
        return log().size();
    }

    public Optional<LogLine> findLog(Pattern p) {
        return Logs.first(log(), p);
    }

    /** Writes {@code newConfig} over the config file and sends SIGHUP; returns the log mark before the signal. */
    public int reload(StunnelConfig newConfig) {
        try {
            int mark = mark();
            Files.writeString(configFile, newConfig.render(logFile), StandardCharsets.UTF_8);
            this.config = newConfig;
            process.signal("HUP");
            return mark;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM and wait for exit; returns the exit code. */
    public int stop() {
        process.signal("TERM");
        return process.exitCode(Timeouts.SHUTDOWN);
    }

    public Optional<Integer> awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    public String stderr() {
        return process.stderr();
    }

    @Override
    public String diagnostics() {
        String log = ManagedProcess.readQuietly(logFile);
        // with foreground = yes the log is also on stderr: show only stderr lines the log lacks
        java.util.Set<String> logged = new java.util.HashSet<>(List.of(log.split("\n")));
        String extraStderr = String.join("\n", process.stderr().lines().filter(l -> !logged.contains(l)).toList());
        return "=== " + label + " config " + configFile + ":\n" + ManagedProcess.readQuietly(configFile)
                + "=== " + label + " log " + logFile + ":\n" + ManagedProcess.tail(log)
                + "\n=== " + label + ": " + process.describe()
                + "\n=== " + label + " stderr lines not in the log:\n" + ManagedProcess.tail(extraStderr) + "\n";
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return label;
    }
}
