package org.jstunnel;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jstunnel.cli.Command;
import org.jstunnel.config.ConfigException;
import org.jstunnel.config.ConfigLoader;
import org.jstunnel.config.Configuration;
import org.jstunnel.config.Strictness;
import org.jstunnel.log.Log;

/** Where the configuration comes from (a file, or {@code -fd N}), read again on every SIGHUP. */
final class ConfigSource {
    private final Command cmd;
    private byte[] fdContent; // what -fd N gave, for the daemon JVM's stdin

    ConfigSource(Command cmd) { this.cmd = cmd; }

    /** The -fd configuration text (null for a file), to hand to the daemon JVM on its stdin. */
    byte[] stdinCopy() { return fdContent; }

    Configuration load() throws ConfigException, IOException {
        if (cmd instanceof Command.RunFd fd) {
            Path p = Path.of("/proc/self/fd/" + fd.fd());
            if (fdContent == null) fdContent = Files.readAllBytes(p);
            try (Reader r = new java.io.InputStreamReader(new java.io.ByteArrayInputStream(fdContent), StandardCharsets.UTF_8)) {
                return ConfigLoader.load(Integer.toString(fd.fd()), r, Path.of("").toAbsolutePath(), Strictness.RUN, Log::log);
            }
        }
        Path file = ((Command.Run) cmd).file();
        return ConfigLoader.load(file, Strictness.RUN, Log::log);
    }
}
