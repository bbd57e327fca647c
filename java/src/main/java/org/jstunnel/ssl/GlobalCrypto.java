package org.jstunnel.ssl;

import java.util.List;
import org.jstunnel.log.Log;

/**
 * The process-wide crypto setup of the global section, done once after the configuration is read
 * and before any service builds its SSL_CTX: providers and engines in file order (each line acts
 * on what earlier lines opened, as stunnel parses them), the last engine initialized, then FIPS
 * mode. On failure everything opened so far is released and nothing changes.
 *
 * <p>A reload (SIGHUP) keeps the setup: engines hold logged-in PKCS#11 sessions and the keys of
 * running services; FIPS mode applies to every context. A reload whose engine, provider or fips
 * lines differ from the running ones is refused with a message asking for a restart.
 */
public final class GlobalCrypto {
    /** One order-dependent line of the global section. */
    public record Line(String option, String value, String where, String text) {}

    /**
     * @param lines engine, engineCtrl, engineDefault, provider and providerParameter lines, in file order
     * @param fips the {@code fips} option; null when the configuration does not set it
     * @param fipsLine the {@code fips} line, for messages; null when not set
     */
    public record Settings(List<Line> lines, Boolean fips, Line fipsLine) {
        public Settings {
            lines = List.copyOf(lines);
        }

        /** What a reload compares: values and order, not line numbers. */
        List<String> effect() {
            List<String> out = new java.util.ArrayList<>();
            for (Line l : lines) out.add(l.option() + "=" + l.value());
            out.add("fips=" + fips);
            return out;
        }
    }

    private static volatile Engines engines = Engines.NONE;
    private static Providers providers;
    private static Settings applied;

    private GlobalCrypto() {}

    /** Applies {@code s} at start-up; on a reload, only checks that it did not change. */
    public static synchronized void configure(Settings s) throws CryptoConfigException {
        NativeLibrary.load();
        if (applied != null) {
            if (!applied.effect().equals(s.effect())) {
                throw new CryptoConfigException("Engine, provider and fips options cannot change on a reload: "
                    + "restart jstunnel to apply them", List.of());
            }
            return;
        }
        Engines e = new Engines();
        Providers p = new Providers();
        try {
            for (Line l : s.lines()) {
                switch (l.option()) {
                    case "engine", "engineCtrl", "engineDefault" -> e.apply(l);
                    case "provider", "providerParameter" -> p.apply(l);
                    default -> throw new IllegalArgumentException("not a global crypto option: " + l.option());
                }
            }
            e.initCurrent();
            FipsMode.apply(s.fips(), s.fipsLine());
        } catch (CryptoConfigException | RuntimeException ex) {
            e.release();
            p.release();
            throw ex;
        }
        engines = e;
        providers = p;
        applied = s;
        if (!e.all().isEmpty() || !p.names().isEmpty())
            Log.debug("Global crypto: " + e.all().size() + " engine(s), provider(s) " + p.names());
    }

    /** The global engine list (empty until {@link #configure}). */
    public static Engines engines() {
        return engines;
    }

    /** Whether FIPS mode is in force (defaults of ciphers and curves follow it). */
    public static boolean fipsEnabled() {
        return FipsMode.enabled();
    }
}
