package org.jstunnel.ssl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jstunnel.keys.KeyRecovery;
import org.jstunnel.log.Log;

/**
 * The certificate and private key of a service from an engine (stunnel's load_cert_engine and
 * load_key_engine: {@code cert}/{@code key} are identifiers such as RFC 7512 {@code pkcs11:} URIs) or
 * from an OSSL_STORE URI a loaded provider handles (stunnel 5.75's load_objects_from_store). A value
 * naming an existing file is read as a file, as before. Identifiers are logged with any
 * {@code pin-value} masked; a failure names the identifier, the token and object when the URI has
 * them, and the engine and its module, never the PIN.
 */
final class KeyLoader {
    /** A URI scheme: two or more characters, so "C:..." or a plain relative path is never taken for one. */
    private static final Pattern URI = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*", Pattern.DOTALL);
    /** Objects a single store may yield before jstunnel stops reading it. */
    private static final int MAX_STORE_OBJECTS = 1000;

    private KeyLoader() {}

    /** Whether this loader (and not the plain PEM file path) handles the service's certificate and key. */
    static boolean handles(TlsSettings s) {
        return engineSelected(s) || isStoreUri(s.cert()) || isStoreUri(s.key());
    }

    static boolean engineSelected(TlsSettings s) {
        return s.engineId() != null || s.engineNum() != 0;
    }

    static boolean isStoreUri(String v) {
        return v != null && URI.matcher(v).matches() && !Files.isRegularFile(Path.of(v));
    }

    private static boolean isFile(String v) {
        try {
            return Files.isRegularFile(Path.of(v));
        } catch (RuntimeException e) { // not a valid path at all
            return false;
        }
    }

    /** The engine engineId/engineNum selects (CAengine uses it too); a TlsConfigException as load reports it. */
    static Engine engineOf(TlsSettings s) throws TlsConfigException {
        Engines all = GlobalCrypto.engines();
        Engine engine = s.engineId() != null ? all.byId(s.engineId()) : all.byNumber(s.engineNum());
        if (engine == null)
            throw new TlsConfigException(s.engineId() != null ? "Engine ID not found" : "Illegal engine number");
        return engine;
    }

    /**
     * A key on a token: {@code token} names it (log lines, its key runner), {@code recovery} loads it
     * again after its session or login was lost (engine keys; null for store keys).
     */
    record TokenKey(String token, KeyRecovery recovery) {}

    /** Loads the service's certificate and key; the token key when it came through an engine or a store, else null. */
    static TokenKey load(long ctx, TlsSettings s) throws OpenSslException, TlsConfigException {
        Engine engine = null;
        if (engineSelected(s)) {
            Engines all = GlobalCrypto.engines();
            engine = s.engineId() != null ? all.byId(s.engineId()) : all.byNumber(s.engineNum());
            if (engine == null)
                throw new TlsConfigException(s.engineId() != null ? "Engine ID not found" : "Illegal engine number");
            if (s.client()) {
                if (NativeCrypto.SSL_CTX_set_client_cert_engine(ctx, engine.handle()))
                    Log.info("Client certificate engine (" + engine.id() + ") enabled");
                else
                    Log.info("Client certificate engine (" + engine.id() + ") not supported");
            }
        }
        if (s.cert() == null || s.key() == null) {
            if (!s.client() && !engineSelected(s)) throw new TlsConfigException("No certificate or private key specified");
            Log.debug("No certificate or private key specified");
            return null;
        }
        String cert = s.cert(), key = s.key();
        boolean certDone = false, keyDone = false;
        if (engine != null && !isFile(cert)) {
            loadCertFromEngine(ctx, engine, cert);
            certDone = true;
        }
        if (engine != null && !isFile(key)) {
            loadKeyFromEngine(ctx, engine, key);
            keyDone = true;
        }
        if (!certDone && isStoreUri(cert) && cert.equals(key) && !keyDone) {
            fromStore(ctx, cert, true, true);
            certDone = keyDone = true;
        }
        if (!keyDone && isStoreUri(key)) {
            fromStore(ctx, key, false, true);
            keyDone = true;
        }
        if (!certDone && isStoreUri(cert)) {
            fromStore(ctx, cert, true, false);
            certDone = true;
        }
        if (!certDone) {
            Log.info("Loading certificate from file: " + cert);
            NativeSsl.SSL_CTX_use_certificate_chain_file(ctx, cert);
        }
        if (!keyDone) {
            Log.info("Loading private key from file: " + key);
            NativeSsl.SSL_CTX_use_PrivateKey_file(ctx, key);
        }
        try {
            NativeSsl.SSL_CTX_check_private_key(ctx);
        } catch (OpenSslException e) {
            for (String q : e.queue()) Log.err(q);
            throw new TlsConfigException("Private key does not match the certificate (cert = "
                + Secrets.identifier(cert) + ", key = " + Secrets.identifier(key) + ")");
        }
        Log.info("Private key check succeeded");
        if (!keyDone) return null;
        String token = attribute(key, "token");
        token = token != null ? "token \"" + token + "\""
            : engine != null ? "engine " + engine.id() + " key " + Secrets.identifier(key) : "key " + Secrets.identifier(key);
        if (engine == null || isFile(key)) return new TokenKey(token, null);
        Engine e = engine;
        // libp11 never reopens a lost session nor logs in again: a fresh engine instance does both
        return new TokenKey(token, new KeyRecovery(token, () -> {
            long fresh = e.freshInstance();
            try {
                return e.loadPrivateKey(fresh, key);
            } finally {
                NativeCrypto.ENGINE_free(fresh); // the key keeps the engine (its functional reference) alive
            }
        }));
    }

    private static void loadCertFromEngine(long ctx, Engine engine, String id) throws OpenSslException, TlsConfigException {
        String shown = Secrets.identifier(id);
        Log.info("Loading certificate from engine ID: " + shown);
        long x509;
        try {
            x509 = engine.loadCertificate(id);
        } catch (OpenSslException e) {
            throw failure(e, "Cannot load certificate " + shown + " through " + engine.describe(), id, engine);
        }
        try {
            NativeCrypto.SSL_CTX_use_certificate(ctx, x509);
        } finally {
            NativeCrypto.X509_free(x509);
        }
        Log.info("Certificate loaded from engine ID: " + shown);
    }

    private static void loadKeyFromEngine(long ctx, Engine engine, String id) throws OpenSslException, TlsConfigException {
        String shown = Secrets.identifier(id);
        Log.info("Initializing private key on engine ID: " + shown);
        long pkey;
        try {
            // one attempt only: retrying a wrong PIN is how tokens get locked
            pkey = engine.loadPrivateKey(id);
        } catch (OpenSslException e) {
            throw failure(e, "Cannot load private key " + shown + " through " + engine.describe(), id, engine);
        }
        try {
            NativeCrypto.SSL_CTX_use_PrivateKey(ctx, pkey);
        } finally {
            NativeCrypto.EVP_PKEY_free(pkey);
        }
        Log.info("Private key initialized on engine ID: " + shown);
    }

    /** stunnel 5.75's load_objects_from_store: the first key, the first certificate, later certificates as the chain. */
    private static void fromStore(long ctx, String uri, boolean certNeeded, boolean keyNeeded)
            throws OpenSslException, TlsConfigException {
        String shown = Secrets.identifier(uri);
        long store;
        try {
            store = NativeCrypto.OSSL_STORE_open(uri);
        } catch (OpenSslException e) {
            List<String> hints = new ArrayList<>();
            String scheme = uri.substring(0, uri.indexOf(':')).toLowerCase(Locale.ROOT);
            if (scheme.equals("pkcs11"))
                hints.add("No loaded provider handles pkcs11: URIs; for the pkcs11 engine set engineId = pkcs11 (or engineNum) in the service");
            else
                hints.add("No loaded provider handles " + scheme + ": URIs (load one with provider = NAME)");
            throw failure(e, "Cannot open " + shown, uri, null, hints);
        }
        OpenSslException last = null;
        try {
            boolean first = true;
            for (int n = 0; n < MAX_STORE_OBJECTS && !NativeCrypto.OSSL_STORE_eof(store); n++) {
                long info;
                try {
                    info = NativeCrypto.OSSL_STORE_load(store);
                } catch (OpenSslException e) {
                    last = e; // stunnel skips objects it cannot read
                    continue;
                }
                if (info == 0) continue;
                try {
                    int type = NativeCrypto.OSSL_STORE_INFO_get_type(info);
                    if (type == NativeCrypto.OSSL_STORE_INFO_PKEY && keyNeeded) {
                        long pkey = NativeCrypto.OSSL_STORE_INFO_get1_PKEY(info);
                        try {
                            NativeCrypto.SSL_CTX_use_PrivateKey(ctx, pkey);
                        } finally {
                            NativeCrypto.EVP_PKEY_free(pkey);
                        }
                        Log.info("Private key loaded from: " + shown);
                        keyNeeded = false;
                    } else if (type == NativeCrypto.OSSL_STORE_INFO_CERT && (certNeeded || !first)) {
                        long x = NativeCrypto.OSSL_STORE_INFO_get1_CERT(info);
                        try {
                            if (certNeeded) {
                                NativeCrypto.SSL_CTX_use_certificate(ctx, x);
                                Log.info("Certificate loaded from: " + shown);
                                certNeeded = false;
                                first = false;
                            } else {
                                NativeCrypto.SSL_CTX_add1_chain_cert(ctx, x);
                            }
                        } finally {
                            NativeCrypto.X509_free(x);
                        }
                    }
                } finally {
                    NativeCrypto.OSSL_STORE_INFO_free(info);
                }
            }
        } finally {
            NativeCrypto.OSSL_STORE_close(store);
        }
        if (certNeeded || keyNeeded) {
            String what = certNeeded && keyNeeded ? "No certificate and no private key" : certNeeded ? "No certificate" : "No private key";
            if (last != null) for (String q : last.queue()) Log.err(q);
            throw new TlsConfigException(what + " found at " + shown);
        }
    }

    private static TlsConfigException failure(OpenSslException e, String message, String id, Engine engine) {
        return failure(e, message, id, engine, List.of());
    }

    /** Logs the error queue and hints, and makes the service's failure message (with a reason drawn from the queue). */
    private static TlsConfigException failure(OpenSslException e, String message, String id, Engine engine,
                                              List<String> hints) {
        for (String line : e.logLines()) Log.err(line);
        for (String h : hints) Log.err(h);
        String why = reason(e.queue(), id, engine == null ? null : engine.modulePath());
        return new TlsConfigException(message + (why != null ? ": " + why : ""));
    }

    /** A plain-words reason from libp11's and OpenSSL's error texts, naming the module, token and object. */
    static String reason(List<String> queue, String id, String module) {
        String all = String.join("\n", queue).toLowerCase(Locale.ROOT);
        String token = attribute(id, "token");
        String object = attribute(id, "object");
        String t = token != null ? "token \"" + token + "\"" : "the token";
        if (all.contains("unable to load pkcs#11 module") || all.contains("unable to load module")) {
            boolean missing = module != null && !Files.exists(Path.of(module));
            return "PKCS#11 module " + (module != null ? module + " " : "") + "could not be loaded"
                + (missing ? " (no such file)" : "");
        }
        if (all.contains("pin incorrect") || all.contains("pin_incorrect") || all.contains("incorrect pin"))
            return "wrong PIN for " + t;
        if (all.contains("pin locked") || all.contains("pin_locked")) return "the PIN of " + t + " is locked";
        if (all.contains("no pin or passphrase configured"))
            return t + " needs a PIN: set engineCtrl = PIN:... (jstunnel never prompts)";
        if (all.contains("not found") || all.contains("no matching") || all.contains("could not find")
                || all.contains("cannot find") || all.contains("failed loading") || all.contains("failed to load")) {
            if (token == null && object == null) return "not found";
            return "not found (" + (token != null ? t : "any token") + (object != null ? ", object \"" + object + "\"" : "")
                + ": is the token present and initialized, and the object's label right?)";
        }
        return null;
    }

    /** A path attribute of a pkcs11: URI (percent-decoded), or null. */
    static String attribute(String uri, String name) {
        if (uri == null || !uri.regionMatches(true, 0, "pkcs11:", 0, 7)) return null;
        String path = uri.substring(7);
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        for (String part : path.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equalsIgnoreCase(name)) {
                try {
                    return java.net.URLDecoder.decode(part.substring(eq + 1).replace("+", "%2B"),
                        java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return part.substring(eq + 1);
                }
            }
        }
        return null;
    }
}
