package org.jstunnel.it.attach.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.StunnelConfig;

/**
 * Starting the program under test in inetd mode: a configuration without [sections], the connection
 * on stdin/stdout. {@link #socket} plays inetd with python3 (Java cannot hand a socket to a child
 * as its stdin): listen on 127.0.0.1, print the port, accept one connection, make it descriptors
 * 0 and 1, exec the program. {@link #pipes} gives it two pipes instead.
 */
public final class Inetd {
    private static final String HANDOFF = String.join("\n",
            "import os, socket, sys",
            "l = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
            "l.bind(('127.0.0.1', 0))",
            "l.listen(1)",
            "print(l.getsockname()[1], flush=True)",
            "l.settimeout(30)",
            "c, _ = l.accept()",
            "l.close()",
            "c.setblocking(True)",
            "os.dup2(c.fileno(), 0)",
            "os.dup2(c.fileno(), 1)",
            "c.close()",
            "os.execv(sys.argv[1], sys.argv[1:])",
            "");

    /** A started inetd-mode program: its process, and for {@link #socket} the port to connect to. */
    public record Started(ManagedProcess process, int port, Path logFile) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }

    private Inetd() {
    }

    /** Writes {@code config} (without [sections]) to {@code dir/NAME.conf}, the log to {@code dir/NAME.log}. */
    public static Path writeConfig(Path dir, String name, StunnelConfig config, Path logFile) {
        try {
            Files.createDirectories(dir);
            Path conf = dir.resolve(name + ".conf");
            Files.writeString(conf, config.render(logFile), StandardCharsets.UTF_8);
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** stdin and stdout are pipes of the returned process (write its stdin, read its stdout). */
    public static Started pipes(Path binary, Path dir, String name, StunnelConfig config) {
        Path log = dir.resolve(name + ".log");
        Path conf = writeConfig(dir, name, config, log);
        return new Started(ManagedProcess.start(name, dir, List.of(binary.toString(), conf.toString()), true), -1, log);
    }

    /** stdin and stdout are one TCP socket, accepted on the returned port. */
    public static Started socket(Path binary, Path dir, String name, StunnelConfig config) {
        Path log = dir.resolve(name + ".log");
        Path conf = writeConfig(dir, name, config, log);
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", HANDOFF, binary.toString(), conf.toString()));
        ManagedProcess p = ManagedProcess.start(name, dir, cmd, true);
        try {
            // the first line is python's; then stdout becomes the connection and this pipe ends
            BufferedReader r = new BufferedReader(new InputStreamReader(p.process().getInputStream(), StandardCharsets.US_ASCII));
            String line = r.readLine();
            if (line == null) throw new AssertionError("inetd stand-in printed no port:\n" + p.diagnostics());
            return new Started(p, Integer.parseInt(line.trim()), log);
        } catch (IOException e) {
            p.close();
            throw new UncheckedIOException(e);
        }
    }
}
