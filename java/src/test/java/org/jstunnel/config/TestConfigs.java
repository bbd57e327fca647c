package org.jstunnel.config;

import java.io.StringReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Helpers shared by the config tests. */
final class TestConfigs {
    private TestConfigs() {}

    // git keeps no file modes but the executable bit: a fresh clone has the corpus's PSK files
    // readable by others, which jstunnel refuses. Make them private before any config names them.
    static {
        java.io.File[] psk = new java.io.File("src/test/resources/configs/psk").listFiles();
        if (psk != null) {
            for (java.io.File f : psk) {
                try {
                    java.nio.file.Files.setPosixFilePermissions(f.toPath(),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    /** A test resource as a path (src/test/resources is copied to target/test-classes). */
    static Path resource(String name) {
        URL url = TestConfigs.class.getResource("/" + name);
        if (url == null) throw new AssertionError("missing test resource " + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Parses text as the stream "test.conf"; includes resolve against the working directory. */
    static Configuration parse(String text, Strictness mode) throws ConfigException {
        return ConfigLoader.load("test.conf", new StringReader(text), null, mode);
    }

    static Configuration syntax(String text) throws ConfigException {
        return parse(text, Strictness.SYNTAX);
    }

    static Configuration run(String text) throws ConfigException {
        return parse(text, Strictness.RUN);
    }

    /** The message of the ConfigException parsing must throw. */
    static String error(String text, Strictness mode) {
        try {
            parse(text, mode);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }
}
