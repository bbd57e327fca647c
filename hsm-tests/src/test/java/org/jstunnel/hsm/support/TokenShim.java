package org.jstunnel.hsm.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.jstunnel.it.support.StunnelConfig;

/**
 * The project's fault-injecting PKCS#11 module ({@code hsm-tests/src/main/c/p11shim.c}, built by the
 * hsm-tests module) between libp11 and SoftHSM2, and its control file: a test makes signing slow,
 * hangs it, fails it or drops the token's sessions by rewriting the file (see the C source for the keys).
 */
public final class TokenShim {
    private final Path control;

    private TokenShim(Path control) {
        this.control = control;
    }

    /** A shim controlled through {@code dir/shim.control} (no fault until {@link #set}). */
    public static TokenShim in(Path dir) {
        Path lib = library();
        if (!Files.isRegularFile(lib)) throw new AssertionError(lib + " is missing: build hsm-tests with Maven");
        return new TokenShim(dir.resolve("shim.control"));
    }

    public static Path library() {
        return Path.of(System.getProperty("jstunnel.p11shim", "hsm-tests/target/p11shim/libjstp11shim.so"));
    }

    /** The environment a program that loads the shim needs (its SoftHSM and the control file). */
    public Env env(Env base) {
        return base.with("JST_SHIM_CONTROL", control.toString());
    }

    /** Replaces the control file at once (whole file, so the shim never reads half of it): "key=value" lines. */
    public void set(String... lines) {
        try {
            Path tmp = control.resolveSibling("shim.control.tmp");
            Files.writeString(tmp, String.join("\n", lines) + "\n");
            Files.move(tmp, control, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shim's counters (signs, failures, in_flight, max_in_flight, sessions); empty before the first signature. */
    public Map<String, Long> stats() {
        Map<String, Long> m = new HashMap<>();
        Path p = control.resolveSibling(control.getFileName() + ".stats");
        try {
            if (!Files.exists(p)) return m;
            for (String l : Files.readAllLines(p)) {
                int eq = l.indexOf('=');
                if (eq > 0) m.put(l.substring(0, eq), Long.parseLong(l.substring(eq + 1).trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** The manual's engine configuration with libp11 loading the shim instead of SoftHSM2 itself. */
    public StunnelConfig engineConfig() {
        return new StunnelConfig().global("debug", "info")
                .globalRaw("engine = pkcs11")
                .globalRaw("engineCtrl = MODULE_PATH:" + library().toAbsolutePath())
                .globalRaw("engineCtrl = PIN:" + HsmFixture.PIN);
    }
}
