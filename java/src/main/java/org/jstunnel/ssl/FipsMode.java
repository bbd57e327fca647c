package org.jstunnel.ssl;

import java.util.ArrayList;
import java.util.List;
import org.jstunnel.log.Log;

/**
 * {@code fips = yes}: OpenSSL 3's FIPS provider, loaded the way any OpenSSL 3 program finds it
 * (OPENSSL_MODULES or the compiled-in modules directory for fips.so; OPENSSL_CONF or the default
 * openssl.cnf, which must include the fipsmodule.cnf that {@code openssl fipsinstall} wrote), and
 * {@code fips=yes} made the default property query, so every SSL_CTX created afterwards uses
 * approved algorithms only (stunnel 5.75's ssl_configure). As in stunnel, a system configuration
 * that already makes FIPS the default ({@code default_properties = fips=yes}) is the default
 * of the option, and {@code fips = no} cannot override it.
 */
public final class FipsMode {
    /** stunnel's defaults in FIPS mode (options.c fips_cipher_list, DEFAULT_CURVES_FIPS). */
    public static final String CIPHERS = "FIPS:!DH:!kDHEPSK";
    public static final String CURVES = "P-256:P-521:P-384";

    private static Boolean systemDefault;
    private static long probe; // the provider -version/-help loaded to see whether it is available
    private static volatile boolean enabled;

    private FipsMode() {}

    /** Whether OpenSSL's configuration made FIPS the default before jstunnel changed anything (cached). */
    public static synchronized boolean systemDefault() {
        NativeLibrary.load();
        if (systemDefault == null) systemDefault = NativeCrypto.EVP_default_properties_is_fips_enabled();
        return systemDefault;
    }

    /** stunnel's fips_available(): can the FIPS provider be loaded here (for -version and -help)? */
    public static synchronized boolean available() {
        NativeLibrary.load();
        systemDefault();
        if (probe == 0) {
            try {
                probe = NativeCrypto.OSSL_PROVIDER_try_load("fips", true);
            } catch (OpenSslException e) {
                return false;
            }
        }
        return NativeCrypto.OSSL_PROVIDER_available("fips");
    }

    /** True once {@code fips = yes} (or the system default) is in force. */
    public static boolean enabled() {
        return enabled;
    }

    /** Applies the effective {@code fips} setting: null = not in the configuration (the system default). */
    static void apply(Boolean setting, GlobalCrypto.Line line) throws CryptoConfigException {
        boolean sys = systemDefault();
        if (Boolean.FALSE.equals(setting) && sys) {
            throw CryptoConfigException.atLine(line, "Failed to override system-wide FIPS mode",
                List.of("OpenSSL's configuration " + configFile() + " makes FIPS the default"));
        }
        boolean want = setting != null ? setting : sys;
        if (want) enable(line);
        enabled = want;
        Log.notice("FIPS mode " + (want ? "enabled" : "disabled"));
    }

    private static void enable(GlobalCrypto.Line line) throws CryptoConfigException {
        if (NativeCrypto.EVP_default_properties_is_fips_enabled()) return;
        List<String> details = new ArrayList<>();
        long p = 0;
        try {
            p = NativeCrypto.OSSL_PROVIDER_try_load("fips", true);
        } catch (OpenSslException e) {
            details.addAll(e.queue());
        }
        if (p == 0 || !NativeCrypto.OSSL_PROVIDER_available("fips")) {
            details.add(notAvailable());
            throw line != null ? CryptoConfigException.atLine(line, "FIPS provider not available", details)
                : new CryptoConfigException("FIPS provider not available", details);
        }
        try {
            NativeCrypto.EVP_default_properties_enable_fips(true);
        } catch (OpenSslException e) {
            throw new CryptoConfigException("Enabling FIPS provider failed", e.queue());
        }
        if (!NativeCrypto.EVP_default_properties_is_fips_enabled())
            throw new CryptoConfigException("Enabling FIPS provider failed", List.of());
        Log.notice("FIPS provider enabled");
        // p stays loaded for the life of the process, as in stunnel
    }

    /** Where OpenSSL looked, for the "not available" message. */
    static String notAvailable() {
        return "FIPS provider not available: OpenSSL looked for fips.so in " + modulesDir()
            + " and for its configuration (the fipsmodule.cnf written by \"openssl fipsinstall\", included from"
            + " the [provider_sect] of the OpenSSL configuration) in " + configFile();
    }

    static String modulesDir() {
        String env = System.getenv("OPENSSL_MODULES");
        if (env != null && !env.isEmpty()) return env + " (OPENSSL_MODULES)";
        return Engines.quoted(NativeSsl.OpenSSL_version(NativeCrypto.OPENSSL_MODULES_DIR)) + " (OPENSSL_MODULES unset)";
    }

    static String configFile() {
        String env = System.getenv("OPENSSL_CONF");
        if (env != null && !env.isEmpty()) return env + " (OPENSSL_CONF)";
        return NativeCrypto.CONF_get1_default_config_file() + " (OPENSSL_CONF unset)";
    }
}
