package org.jstunnel.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the programs come from. {@code -Djstunnel.bin=/usr/bin/stunnel4} runs the suite against real stunnel. */
public final class Binaries {
    public static final Path STUNNEL4 = Path.of("/usr/bin/stunnel4");
    public static final String OPENSSL = "openssl";
    public static final String CURL = "curl";

    private Binaries() {
    }

    /** The program under test: {@code jstunnel.bin}, else {@code ${jstunnel.home}/bin/jstunnel}. */
    public static Path underTest() {
        String bin = System.getProperty("jstunnel.bin");
        Path p;
        if (bin != null && !bin.isBlank()) {
            p = Path.of(bin);
        } else {
            String home = System.getProperty("jstunnel.home", "..");
            p = Path.of(home, "bin", "jstunnel");
        }
        p = p.toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) {
            throw new AssertionError("program under test is not executable: " + p
                    + " (set -Djstunnel.bin=... or -Djstunnel.home=...)");
        }
        return p;
    }

    /** Debian's stunnel, used as a peer. */
    public static Path stunnel4() {
        if (!Files.isExecutable(STUNNEL4)) {
            throw new AssertionError("stunnel4 peer is not installed at " + STUNNEL4);
        }
        return STUNNEL4;
    }
}
