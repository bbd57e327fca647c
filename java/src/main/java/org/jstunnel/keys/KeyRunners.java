package org.jstunnel.keys;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jstunnel.log.Log;

/**
 * One {@link KeyRunner} per token, shared by every service whose key is on it, sized by the global
 * {@code pkcs11Sessions} and {@code pkcs11Timeout} (jstunnel extensions). Contexts ask for their runner
 * when they are built (start-up, reload); a reload that changes the settings gives new contexts new
 * runners, while contexts made before keep theirs.
 */
public final class KeyRunners {
    /** libp11 opens at most 16 sessions per slot, so more signing threads would only wait inside it. */
    public static final int DEFAULT_SESSIONS = 16;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static int sessions = DEFAULT_SESSIONS;
    private static Duration timeout = DEFAULT_TIMEOUT;
    private static final Map<String, KeyRunner> BY_TOKEN = new HashMap<>();

    private KeyRunners() {}

    /** The global settings (start-up and every reload; runners made before keep theirs). */
    public static synchronized void configure(int sessions, Duration timeout) {
        if (sessions < 1) throw new IllegalArgumentException("pkcs11Sessions must be at least 1");
        KeyRunners.sessions = sessions;
        KeyRunners.timeout = timeout;
    }

    /** The runner of the token a context's key is on ({@code token} names it in log lines). */
    public static synchronized KeyRunner forToken(String token) {
        KeyRunner r = BY_TOKEN.get(token);
        if (r != null && r.threads() == sessions && r.deadline().equals(timeout)) return r;
        r = new KeyRunner(token, sessions, timeout);
        BY_TOKEN.put(token, r);
        Log.info("Private key on " + token + ": signing on up to " + sessions + " key runner thread(s), deadline "
            + timeout.toMillis() + " ms");
        return r;
    }
}
