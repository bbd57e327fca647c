package org.jstunnel.ssl;

import java.util.Locale;
import org.jstunnel.log.Log;

/**
 * stunnel 5.63's load_pkcs12_file: a {@code cert} ending in .p12 or .pfx holds the certificate, the
 * private key (and here also the CA chain, which is sent as the certificate chain). The password
 * tried first is the cached one (initially empty); on a wrong password stunnel asks on the terminal
 * ("Enter FILE pass phrase:") up to three times and caches what was typed for later reloads.
 */
final class Pkcs12 {
    private static volatile String cachedPassword = "";

    private Pkcs12() {}

    static boolean applies(String cert) {
        int dot = cert.lastIndexOf('.');
        if (dot < 0) return false;
        String ext = cert.substring(dot).toLowerCase(Locale.ROOT);
        return ext.equals(".p12") || ext.equals(".pfx");
    }

    static void load(long ctx, String file) throws OpenSslException, TlsConfigException {
        Log.info("Loading certificate and private key from file: " + file);
        if (!FilePermissions.check(file)) throw new TlsConfigException("Cannot read " + file);
        long p12 = NativeTls.PKCS12_read(file);
        try {
            boolean ok = NativeTls.PKCS12_parse_into(ctx, p12, cachedPassword) == 1;
            for (int i = 0; !ok && i < 3; i++) {
                if (i > 0) Log.err("Wrong passphrase: retrying");
                String typed = NativeTls.EVP_read_pw_string("Enter " + file + " pass phrase:");
                if (typed == null) break; // no terminal to ask on
                cachedPassword = typed;
                ok = NativeTls.PKCS12_parse_into(ctx, p12, typed) == 1;
            }
            if (!ok) // the retryable error was consumed by the call that reported it
                throw new OpenSslException("PKCS12_parse",
                    new String[] {"error:11800071:PKCS12 routines::mac verify failure"});
        } finally {
            NativeTls.PKCS12_free(p12);
        }
        Log.info("Certificate and private key loaded from file: " + file);
        NativeSsl.SSL_CTX_check_private_key(ctx);
        Log.debug("Private key check succeeded");
    }
}
