package org.jstunnel.ssl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jstunnel.log.Log;

/**
 * The global engine list, built from the global section's {@code engine}, {@code engineCtrl} and
 * {@code engineDefault} lines in file order, as stunnel's options.c does: {@code engine = ID} opens
 * an engine (initializing the previous one first), each {@code engineCtrl} runs a control command
 * on the engine opened last ({@code INIT} initializes it), {@code engineDefault} makes it the
 * default for a task list, and the last engine is initialized when the section ends.
 * {@code engine = auto} registers every engine OpenSSL knows as a default for what it implements.
 * Services select an engine with {@code engineId} or {@code engineNum}.
 *
 * <p>Differences from stunnel: a PIN is never logged (stunnel 5.68 logs it at debug level); the
 * last engine failing to initialize fails the configuration (stunnel ignores it and fails later);
 * an unknown control command is reported with the commands the engine does know.
 */
public final class Engines {
    static final Engines NONE = new Engines();
    private static final int MAX_ENGINES = 256;

    private final List<Engine> list = new ArrayList<>();
    private Engine current; // the engine the next engineCtrl/engineDefault acts on
    private GlobalCrypto.Line openedBy;

    Engines() {}

    public List<Engine> all() { return List.copyOf(list); }

    /** {@code engineId}: the first engine with this id, or null. */
    public Engine byId(String id) {
        for (Engine e : list) if (e.id().equals(id)) return e;
        return null;
    }

    /** {@code engineNum}: engines are numbered from 1; null when out of range. */
    public Engine byNumber(int n) {
        return n >= 1 && n <= list.size() ? list.get(n - 1) : null;
    }

    void apply(GlobalCrypto.Line l) throws CryptoConfigException {
        switch (l.option()) {
            case "engine" -> {
                if (l.value().equalsIgnoreCase("auto")) auto(l);
                else open(l);
            }
            case "engineCtrl" -> control(l);
            case "engineDefault" -> setDefault(l);
            default -> throw new IllegalArgumentException(l.option());
        }
    }

    private void auto(GlobalCrypto.Line l) throws CryptoConfigException {
        initCurrent();
        Log.info("Enabling automatic engine support");
        NativeCrypto.ENGINE_register_all_complete();
        // stunnel rebuilds its list from OpenSSL's; engines opened earlier stay ours to release
        release();
        list.clear();
        current = null;
        for (long e = NativeCrypto.ENGINE_get_first(); e != 0; e = NativeCrypto.ENGINE_get_next(e)) {
            if (list.size() >= MAX_ENGINES) {
                NativeCrypto.ENGINE_free(e);
                throw CryptoConfigException.atLine(l, "Too many open engines", List.of());
            }
            try {
                NativeCrypto.ENGINE_up_ref(e); // our own reference; get_next releases the walk's
            } catch (OpenSslException ex) {
                NativeCrypto.ENGINE_free(e);
                throw CryptoConfigException.atLine(l, "Failed to open the engine", ex.queue());
            }
            Engine engine = new Engine(list.size() + 1, NativeCrypto.ENGINE_get_id(e), e);
            list.add(engine);
            Log.info("Engine " + engine.label() + " registered");
        }
        Log.info("Automatic engine support enabled");
    }

    private void open(GlobalCrypto.Line l) throws CryptoConfigException {
        initCurrent();
        if (list.size() >= MAX_ENGINES) throw CryptoConfigException.atLine(l, "Too many open engines", List.of());
        String id = l.value();
        Log.debug("Enabling support for engine \"" + id + "\"");
        long handle;
        try {
            handle = NativeCrypto.ENGINE_by_id(id);
        } catch (OpenSslException e) {
            List<String> details = new ArrayList<>(e.queue());
            details.add("Engine \"" + id + "\" is not installed: no such engine is built in, and "
                + enginesDir() + " has no " + id + ".so");
            throw CryptoConfigException.atLine(l, "Failed to open the engine", details);
        }
        Engine engine = new Engine(list.size() + 1, NativeCrypto.ENGINE_get_id(handle), handle);
        list.add(engine);
        current = engine;
        openedBy = l;
        if (NativeCrypto.ENGINE_set_user_interface(handle)) Log.notice("UI set for engine " + engine.label());
        else Log.info("UI not supported by engine " + engine.label());
    }

    private void control(GlobalCrypto.Line l) throws CryptoConfigException {
        if (current == null) throw CryptoConfigException.atLine(l, "No engine was defined", List.of());
        String value = l.value();
        int colon = value.indexOf(':');
        String cmd = colon < 0 ? value : value.substring(0, colon);
        String arg = colon < 0 ? null : value.substring(colon + 1);
        if (cmd.equalsIgnoreCase("INIT")) {
            init(current, l);
            return;
        }
        Log.debug("Executing engine control command " + Secrets.controlCommand(cmd, arg));
        try {
            current.control(cmd, arg);
        } catch (OpenSslException e) {
            List<String> details = new ArrayList<>(e.queue());
            List<String> known = current.commandNames();
            if (!known.isEmpty() && known.stream().noneMatch(k -> k.equalsIgnoreCase(cmd))) {
                String hint = "Engine " + current.label() + " has no control command \"" + cmd + "\"; it knows: "
                    + String.join(", ", known);
                String alias = ALIASES.get(cmd.toUpperCase(Locale.ROOT));
                if (alias != null && known.contains(alias)) hint += " (did you mean " + alias + "?)";
                details.add(hint);
            }
            throw CryptoConfigException.atLine(l, "Failed to execute the engine control command", details);
        }
    }

    /** Spellings seen in the wild (stunnel's own manual writes MODULEPATH) and libp11's names. */
    private static final Map<String, String> ALIASES = Map.of(
        "MODULEPATH", "MODULE_PATH", "MODULE", "MODULE_PATH", "SOPATH", "SO_PATH");

    private void setDefault(GlobalCrypto.Line l) throws CryptoConfigException {
        if (current == null) throw CryptoConfigException.atLine(l, "No engine was defined", List.of());
        try {
            NativeCrypto.ENGINE_set_default_string(current.handle(), l.value());
        } catch (OpenSslException e) {
            throw CryptoConfigException.atLine(l, "Failed to set engine as default", e.queue());
        }
        Log.info("Engine " + current.label() + " set as default for " + l.value());
    }

    /** The section ended (or another engine line came): initialize the engine opened last. */
    void initCurrent() throws CryptoConfigException {
        if (current != null && !current.initialized()) init(current, openedBy);
    }

    private static void init(Engine e, GlobalCrypto.Line l) throws CryptoConfigException {
        if (e.initialized()) return;
        Log.debug("Initializing engine " + e.label());
        try {
            e.init();
        } catch (OpenSslException ex) {
            List<String> details = new ArrayList<>(ex.queue());
            if (details.isEmpty()) details.add("Engine " + e.label() + " not initialized");
            if (e.modulePath() != null) {
                details.add("Engine " + e.label() + " could not initialize PKCS#11 module " + e.modulePath()
                    + (java.nio.file.Files.exists(java.nio.file.Path.of(e.modulePath())) ? "" : " (no such file)"));
            }
            throw CryptoConfigException.atLine(l, "Engine initialization failed", details);
        }
        Log.info("Engine " + e.label() + " initialized");
    }

    /** Drops jstunnel's references on every engine (keys and contexts keep theirs). */
    void release() {
        for (int i = list.size() - 1; i >= 0; i--) list.get(i).release();
    }

    static String enginesDir() {
        String env = System.getenv("OPENSSL_ENGINES");
        if (env != null && !env.isEmpty()) return env + " (OPENSSL_ENGINES)";
        return quoted(NativeSsl.OpenSSL_version(NativeCrypto.OPENSSL_ENGINES_DIR));
    }

    /** The quoted path of OpenSSL_version()'s {@code ENGINESDIR: "..."} / {@code MODULESDIR: "..."}. */
    static String quoted(String s) {
        if (s == null) return "?";
        int a = s.indexOf('"'), b = s.lastIndexOf('"');
        return a >= 0 && b > a ? s.substring(a + 1, b) : s;
    }
}
