package org.jstunnel.keys;

import java.util.List;
import java.util.Locale;
import org.jstunnel.log.Log;
import org.jstunnel.ssl.OpenSslException;

/**
 * Recovery of one token key without a restart (issue 10). When a key step fails and the error says
 * the token's session or login or the key's handle was lost (a device removed and back, a token
 * reset), the key is loaded again ({@link KeyReload}: a fresh engine instance, new session, login)
 * and later handshakes use the new key. The handshake that met the fault fails with its alert. One
 * reload per fault: a failure seen with an older key does not reload again, and attempts are at least
 * {@link #MIN_INTERVAL_NANOS} apart ({@link #RETRY_INTERVAL_NANOS} while the token is still away). A wrong or locked PIN stops
 * recovery for good: retrying could lock the token.
 *
 * <p>Runs on key runners (platform threads), so the monitor never holds a carrier.
 */
public final class KeyRecovery {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;
    /** After a reload that failed (the token still away): each attempt makes a new engine instance. */
    private static final long RETRY_INTERVAL_NANOS = 500_000_000L;
    /** Lower-case fragments of libp11's and OpenSSL's error texts, and what they mean. */
    private static final List<String[]> LOST = List.of(
        new String[] {"session handle invalid", "the token's session was lost"},
        new String[] {"session closed", "the token's session was closed"},
        new String[] {"user not logged in", "the token logged out"},
        new String[] {"object handle invalid", "the key's handle is no longer valid"},
        new String[] {"key handle invalid", "the key's handle is no longer valid"},
        new String[] {"token not present", "the token is not present"},
        new String[] {"device removed", "the token was removed"});

    private final String token;
    private final KeyReload reload;
    private long key; // EVP_PKEY loaded again, 0 while the context's own key is used
    private int generation;
    private long lastAttempt = System.nanoTime() - MIN_INTERVAL_NANOS;
    private boolean stopped;
    private boolean lastFailed;

    public KeyRecovery(String token, KeyReload reload) {
        this.token = token;
        this.reload = reload;
    }

    /**
     * Before a handshake's key step: gives the SSL the key loaded again, if any (under the lock, so
     * it cannot be freed in between). Returns the generation the step signs with.
     */
    synchronized int useOn(long ssl) throws OpenSslException {
        if (key != 0) NativeKeys.SSL_use_PrivateKey(ssl, key);
        return generation;
    }

    /** A key step with the key of {@code seenGeneration} failed with this error queue. */
    void failed(List<String> queue, int seenGeneration) {
        String why = lost(queue);
        if (why == null) return;
        synchronized (this) {
            long wait = lastFailed ? RETRY_INTERVAL_NANOS : MIN_INTERVAL_NANOS;
            if (stopped || seenGeneration != generation || System.nanoTime() - lastAttempt < wait) return;
            lastAttempt = System.nanoTime();
            Log.warning("Private key on " + token + ": " + why + "; loading it again");
            try {
                long fresh = reload.reload();
                long old = key;
                key = fresh;
                generation++;
                if (old != 0) NativeKeys.EVP_PKEY_free(old); // handshakes using it hold their own references
                lastFailed = false;
                Log.notice("Private key on " + token + " loaded again");
            } catch (OpenSslException e) {
                lastFailed = true;
                String all = String.join("\n", e.queue()).toLowerCase(Locale.ROOT);
                for (String q : e.queue()) Log.err(e.call() + ": " + q);
                if (all.contains("pin incorrect") || all.contains("pin locked") || all.contains("pin_incorrect")
                        || all.contains("pin_locked") || all.contains("pin expired")) {
                    stopped = true;
                    Log.err("Private key on " + token + ": the PIN was refused; not tried again (a retry can "
                        + "lock the token): restart jstunnel with the right PIN");
                } else {
                    Log.err("Private key on " + token + " could not be loaded again; trying again at the next fault");
                }
            }
        }
    }

    static String lost(List<String> queue) {
        String all = String.join("\n", queue).toLowerCase(Locale.ROOT);
        for (String[] l : LOST) if (all.contains(l[0])) return l[1];
        return null;
    }
}
