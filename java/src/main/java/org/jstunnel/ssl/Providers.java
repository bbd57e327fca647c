package org.jstunnel.ssl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jstunnel.log.Log;

/**
 * stunnel 5.75's {@code provider = NAME} (OSSL_PROVIDER_try_load, keeping the default provider as a
 * fallback) and {@code providerParameter = PROVIDER:NAME=VALUE} (OSSL_PROVIDER_add_conf_parameter on
 * a loaded provider of that name), applied in file order. providerParameter needs OpenSSL 3.5 or
 * later, as in stunnel; on an older libcrypto it is refused with that reason.
 */
final class Providers {
    private final Map<String, Long> loaded = new LinkedHashMap<>();
    private final List<Long> handles = new ArrayList<>();

    void apply(GlobalCrypto.Line l) throws CryptoConfigException {
        switch (l.option()) {
            case "provider" -> load(l);
            case "providerParameter" -> parameter(l);
            default -> throw new IllegalArgumentException(l.option());
        }
    }

    private void load(GlobalCrypto.Line l) throws CryptoConfigException {
        String name = l.value();
        long p;
        try {
            p = NativeCrypto.OSSL_PROVIDER_try_load(name, true);
        } catch (OpenSslException e) {
            List<String> details = new ArrayList<>(e.queue());
            details.add("Provider \"" + name + "\" not found: looked for " + name + ".so in " + FipsMode.modulesDir()
                + ", and for a [" + name + "] provider section in " + FipsMode.configFile());
            throw CryptoConfigException.atLine(l, "Failed to load provider", details);
        }
        handles.add(p);
        loaded.putIfAbsent(name, p);
        Log.info("Provider \"" + name + "\" loaded");
    }

    private void parameter(GlobalCrypto.Line l) throws CryptoConfigException {
        String v = l.value();
        int colon = v.indexOf(':');
        int eq = colon < 0 ? -1 : v.indexOf('=', colon + 1);
        if (colon <= 0 || eq < 0) throw CryptoConfigException.atLine(l, "Malformed parameter", List.of());
        String provider = v.substring(0, colon), name = v.substring(colon + 1, eq), value = v.substring(eq + 1);
        if (!NativeCrypto.OSSL_PROVIDER_add_conf_parameter_available()) {
            throw CryptoConfigException.atLine(l, "providerParameter needs OpenSSL 3.5 or later (running "
                + NativeSsl.OpenSSL_version(0) + ")", List.of());
        }
        Long p = loaded.get(provider);
        if (p == null && NativeCrypto.OSSL_PROVIDER_available(provider)) {
            try { // activated by the OpenSSL configuration: take a reference of our own
                p = NativeCrypto.OSSL_PROVIDER_try_load(provider, true);
                handles.add(p);
                loaded.put(provider, p);
            } catch (OpenSslException e) {
                throw CryptoConfigException.atLine(l, "Provider not found", e.queue());
            }
        }
        if (p == null) throw CryptoConfigException.atLine(l, "Provider not found", List.of());
        try {
            NativeCrypto.OSSL_PROVIDER_add_conf_parameter(p, name, value);
        } catch (OpenSslException e) {
            throw CryptoConfigException.atLine(l, "Provider not found", e.queue());
        }
        Log.debug("Provider \"" + provider + "\" parameter " + name + " set");
    }

    List<String> names() { return List.copyOf(loaded.keySet()); }

    void release() {
        for (int i = handles.size() - 1; i >= 0; i--) {
            try {
                NativeCrypto.OSSL_PROVIDER_unload(handles.get(i));
            } catch (OpenSslException e) {
                Log.debug("OSSL_PROVIDER_unload: " + e.queue());
            }
        }
        handles.clear();
        loaded.clear();
    }
}
