package org.jstunnel.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.List;

/**
 * Entry point: reads and validates a stunnel configuration.
 *
 * <p>Relative {@code include} directories are resolved against the working directory for files (as
 * stunnel, which reads the configuration before it daemonizes) and against the given base for streams.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Reads {@code file} with {@link Strictness#RUN}. */
    public static Configuration load(Path file) throws ConfigException {
        return load(file, Strictness.RUN);
    }

    public static Configuration load(Path file, Strictness strictness) throws ConfigException {
        return load(file, strictness, ConfigLog.NONE);
    }

    /** As {@link #load(Path, Strictness)}, reporting what stunnel logs while reading to {@code log}. */
    public static Configuration load(Path file, Strictness strictness, ConfigLog log) throws ConfigException {
        Path real;
        try {
            real = file.toRealPath(); // stunnel names the file by its realpath() in every message
        } catch (IOException e) {
            throw ConfigException.general(List.of("Invalid configuration file name \"" + file + "\"",
                    Errno.describe("realpath", e)));
        }
        return new ConfigParser(strictness, log, Path.of("").toAbsolutePath()).parseFile(real);
    }

    /**
     * Reads a configuration from a stream, for {@code -fd N}.
     *
     * @param sourceName what messages call the source; stunnel uses the descriptor number ("3")
     * @param baseDirForInclude where relative {@code include} directories are looked up; null = working directory
     */
    public static Configuration load(String sourceName, Reader r, Path baseDirForInclude, Strictness s)
            throws ConfigException {
        return load(sourceName, r, baseDirForInclude, s, ConfigLog.NONE);
    }

    public static Configuration load(String sourceName, Reader r, Path baseDirForInclude, Strictness s, ConfigLog log)
            throws ConfigException {
        Path base = baseDirForInclude != null ? baseDirForInclude : Path.of("");
        return new ConfigParser(s, log, base.toAbsolutePath()).parseStream(sourceName, r);
    }
}
