package org.jstunnel.hsm.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A private SoftHSM2 for one test class: its own {@code softhsm2.conf} and token directory in a
 * temporary folder (SOFTHSM2_CONF), so tests never see or touch the machine's tokens. Every
 * program that must see the tokens runs through {@link #env()}.
 */
public final class SoftHsm {
    public static final Path MODULE = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    /** libp11's engine, as Debian's libengine-pkcs11-openssl installs it. */
    public static final Path ENGINE = Path.of("/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so");

    private final Path dir;
    private final Env env;

    private SoftHsm(Path dir, Env env) {
        this.dir = dir;
        this.env = env;
    }

    /** Writes {@code dir/softhsm2.conf} with a token directory {@code dir/tokens}. */
    public static SoftHsm create(Path dir) {
        for (Path p : List.of(MODULE, ENGINE, Path.of("/usr/bin/softhsm2-util"), Path.of("/usr/bin/pkcs11-tool"))) {
            if (!Files.exists(p)) {
                throw new AssertionError(p + " is missing: scripts/bootstrap.sh installs softhsm2, opensc and "
                        + "libengine-pkcs11-openssl");
            }
        }
        try {
            Path tokens = Files.createDirectories(dir.resolve("tokens"));
            Path conf = dir.resolve("softhsm2.conf");
            Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                    + "log.level = ERROR\nslots.removable = false\n");
            return new SoftHsm(dir, new Env(Map.of("SOFTHSM2_CONF", conf.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** SOFTHSM2_CONF for every program that must see this SoftHSM's tokens. */
    public Env env() {
        return env;
    }

    /** {@code softhsm2-util --init-token --free}: a fresh token in the first free slot. */
    public Token initToken(String label, String pin, String soPin) {
        env.run(dir, "softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", soPin)
                .requireSuccess();
        return new Token(this, label, pin);
    }

    /** One initialized token and its user PIN. */
    public record Token(SoftHsm hsm, String label, String pin) {
        /** RFC 7512 URI of an object by label, e.g. {@code pkcs11:token=T;object=O}. */
        public String uri(String object) {
            return "pkcs11:token=" + label + ";object=" + object;
        }
    }
}
