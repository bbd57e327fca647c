package org.jstunnel.ssl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One engine of the global list (stunnel's {@code engines[]}): its number (1-based, what
 * {@code engineNum} selects), its id, and the references jstunnel holds on it: a structural one
 * from ENGINE_by_id (or the engine=auto walk), and a functional one once initialized. Keys loaded
 * through it and SSL_CTXs using it hold references of their own, so a released engine stays alive
 * for them.
 */
public final class Engine {
    private final int number;
    private final String id;
    private final long handle;
    private final List<String> controls = new ArrayList<>(); // masked CMD[:ARG], in order
    private final List<String[]> replay = new ArrayList<>(); // CMD, ARG as given: for a fresh instance
    private String modulePath;
    private boolean initialized;
    private boolean released;

    Engine(int number, String id, long handle) {
        this.number = number;
        this.id = id;
        this.handle = handle;
    }

    public int number() { return number; }

    public String id() { return id; }

    long handle() { return handle; }

    boolean initialized() { return initialized; }

    /** The PKCS#11 module named by a MODULE_PATH (or SO_PATH-like) control command, or null. */
    public String modulePath() { return modulePath; }

    /** "engine #1 (pkcs11)" with its module when known: what messages name. */
    public String describe() {
        return "engine #" + number + " (" + id + (modulePath != null ? ", module " + modulePath : "") + ")";
    }

    /** stunnel's "#1 (pkcs11)". */
    String label() {
        return "#" + number + " (" + id + ")";
    }

    void control(String command, String arg) throws OpenSslException {
        NativeCrypto.ENGINE_ctrl_cmd_string(handle, command, arg);
        controls.add(Secrets.controlCommand(command, arg));
        replay.add(new String[] {command, arg});
        if (arg != null && command.toUpperCase(Locale.ROOT).equals("MODULE_PATH")) modulePath = arg;
    }

    /** The control commands the engine defines (for the message about one it does not). */
    List<String> commandNames() {
        String[] names = NativeCrypto.ENGINE_ctrl_cmd_names(handle);
        return names == null ? List.of() : List.of(names);
    }

    void init() throws OpenSslException {
        if (initialized) return;
        NativeCrypto.ENGINE_init(handle);
        initialized = true;
    }

    /** An EVP_PKEY handle the caller frees. */
    long loadPrivateKey(String keyId) throws OpenSslException {
        return NativeCrypto.ENGINE_load_private_key(handle, keyId);
    }

    /** An EVP_PKEY handle the caller frees, through another instance of this engine ({@link #freshInstance}). */
    long loadPrivateKey(long instance, String keyId) throws OpenSslException {
        return NativeCrypto.ENGINE_load_private_key(instance, keyId);
    }

    /** An X509 handle the caller frees. */
    long loadCertificate(String certId) throws OpenSslException {
        return NativeCrypto.ENGINE_ctrl_cmd_LOAD_CERT_CTRL(handle, certId);
    }

    /**
     * A new, initialized instance of this engine with its own state (for libp11: its own sessions and
     * login), loaded again from the engines directory with the same control commands. Token recovery
     * uses it when the sessions of this one were lost (libp11 never reopens them). It is never
     * finished: finishing a libp11 instance finalizes the module under every other instance.
     */
    long freshInstance() throws OpenSslException {
        String dir = System.getenv("OPENSSL_ENGINES");
        if (dir == null || dir.isEmpty()) dir = Engines.quoted(NativeSsl.OpenSSL_version(NativeCrypto.OPENSSL_ENGINES_DIR));
        long h = org.jstunnel.keys.NativeKeys.ENGINE_new_bound(dir + "/" + id + ".so", id);
        try {
            for (String[] c : replay) NativeCrypto.ENGINE_ctrl_cmd_string(h, c[0], c[1]);
            NativeCrypto.ENGINE_set_user_interface(h);
            NativeCrypto.ENGINE_init(h);
            return h;
        } catch (OpenSslException | RuntimeException e) {
            NativeCrypto.ENGINE_free(h);
            throw e;
        }
    }

    /** Drops jstunnel's references (functional, then structural); idempotent. */
    synchronized void release() {
        if (released) return;
        released = true;
        if (initialized) NativeCrypto.ENGINE_finish(handle);
        NativeCrypto.ENGINE_free(handle);
    }

    @Override
    public String toString() { return describe(); }
}
