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

    ConfigSource(Command cmd) { this.cmd = cmd; }

    Configuration load() throws ConfigException, IOException {
        if (cmd instanceof Command.RunFd fd) {
            Log.notice("Reading configuration from descriptor " + fd.fd());
            Path p = Path.of("/proc/self/fd/" + fd.fd());
            try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                return ConfigLoader.load("descriptor " + fd.fd(), r, Path.of("").toAbsolutePath(), Strictness.RUN);
            }
        }
        Path file = ((Command.Run) cmd).file();
        Log.notice("Reading configuration from file " + file.toAbsolutePath().normalize());
        if (!Files.isReadable(file)) throw new IOException("Cannot open configuration file");
        return ConfigLoader.load(file);
    }
}
