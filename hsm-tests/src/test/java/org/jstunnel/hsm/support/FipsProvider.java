package org.jstunnel.hsm.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenSSL 3.0's FIPS provider as a TEST FIXTURE (Debian ships none): built from Debian's openssl
 * source by the repository's {@code scripts/build-fips-provider.sh}, installed with the system's {@code openssl fipsinstall}, and cached in
 * {@code hsm-tests/target/fips}. It is not a validated module: it only lets the tests exercise
 * jstunnel's FIPS mode the way any OpenSSL 3 program meets a real one.
 *
 * <p>When the installed libssl3's exact source version is no longer in the deb-src indexes, the
 * newest older one is built instead (an older module with a newer libcrypto is the supported
 * direction). A failure to build fails the test with the recipe's output: it never skips.
 */
public final class FipsProvider {
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(8);
    private static final Pattern AVAILABLE = Pattern.compile("available openssl sources: ([^\\n]*)");
    private static volatile FipsProvider built;

    private final Path dir;

    private FipsProvider(Path dir) {
        this.dir = dir;
    }

    /** The repository root (the {@code jstunnel.home} Maven sets). */
    private static Path home() {
        return Path.of(System.getProperty("jstunnel.home", "..")).toAbsolutePath().normalize();
    }

    /** Builds the provider once per run (or finds it cached) and returns it. */
    public static synchronized FipsProvider ensure() {
        if (built != null) return built;
        Path recipe = home().resolve("scripts/build-fips-provider.sh");
        Path out = home().resolve("hsm-tests/target/fips");
        if (!Files.isRegularFile(recipe)) {
            throw new AssertionError("FIPS provider recipe not found at " + recipe
                    + " (part of the repository: scripts/build-fips-provider.sh)");
        }
        Env env = new Env(Map.of());
        List<String> cmd = List.of("bash", recipe.toString(), out.toString());
        long start = System.nanoTime();
        // a module cached by an earlier run (possibly an older source version): verified, not rebuilt
        String cached = cachedVersion(out);
        if (cached != null) env = env.with("OPENSSL_SRC_VERSION", cached);
        Env.Result r = env.run(home(), new ArrayList<>(cmd), BUILD_TIMEOUT);
        if (r.exitCode() != 0 && cached != null) {
            env = new Env(Map.of());
            r = env.run(home(), new ArrayList<>(cmd), BUILD_TIMEOUT);
        }
        if (r.exitCode() != 0 && r.output().contains("not in deb-src indexes")) {
            String older = newestOlderSource(r.output());
            if (older != null) {
                System.out.println("[fips] installed libssl3 source not in deb-src; building " + older);
                r = new Env(Map.of("OPENSSL_SRC_VERSION", older)).run(home(), new ArrayList<>(cmd), BUILD_TIMEOUT);
            }
        }
        if (r.exitCode() != 0) {
            throw new AssertionError("could not build the FIPS provider test fixture with " + recipe
                    + " (it needs the Debian deb-src archive over the network); its output:\n" + r.output());
        }
        System.out.printf("[fips] provider ready in %s (%.1f s)%n", out, (System.nanoTime() - start) / 1e9);
        built = new FipsProvider(out);
        return built;
    }

    /** The source version of a module an earlier run built into {@code out}, if not newer than libssl3. */
    private static String cachedVersion(Path out) {
        try {
            Path stamp = out.resolve(".stamp");
            if (!Files.isRegularFile(stamp) || !Files.isRegularFile(out.resolve("fips.so"))) return null;
            String v = Files.readString(stamp).trim();
            return !v.isEmpty() && dpkgCompare(v, "le", installedLibssl()) ? v : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String installedLibssl() {
        return new Env(Map.of()).run(home(), "dpkg-query", "-W", "-f=${Version}", "libssl3")
                .requireSuccess().output().trim();
    }

    /** The newest "available openssl sources" version not newer than the installed libssl3. */
    private static String newestOlderSource(String output) {
        Matcher m = AVAILABLE.matcher(output);
        if (!m.find()) return null;
        String installed = installedLibssl();
        String best = null;
        for (String v : m.group(1).trim().split("\\s+")) {
            if (v.isEmpty() || !dpkgCompare(v, "le", installed)) continue;
            if (best == null || dpkgCompare(v, "gt", best)) best = v;
        }
        return best;
    }

    private static boolean dpkgCompare(String a, String op, String b) {
        return new Env(Map.of()).run(home(), "dpkg", "--compare-versions", a, op, b).exitCode() == 0;
    }

    public Path dir() {
        return dir;
    }

    /** fips + default providers active, no default properties: what {@code fips = yes} switches on. */
    public Path availableConf() {
        return dir.resolve("openssl-fips-avail.cnf");
    }

    /** fips + base only with {@code default_properties = fips=yes}: a system-wide FIPS configuration. */
    public Path systemWideConf() {
        return dir.resolve("openssl-fips.cnf");
    }
}
