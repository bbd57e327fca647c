package org.jstunnel.ssl;

import java.util.HashMap;
import java.util.Map;

/**
 * stunnel's client-side session cache (session_cache_save / session_cache_retrieve): the last session
 * per destination, offered again on the next connection to the same destination.
 */
final class ClientSessions {
    private final Map<String, Long> byDestination = new HashMap<>();

    /** Keeps {@code session} (its own reference) as the one to resume for {@code destination}. */
    synchronized void put(String destination, long session) {
        NativeTls.SSL_SESSION_up_ref(session);
        Long old = byDestination.put(destination, session);
        if (old != null) NativeTls.SSL_SESSION_free(old);
    }

    /** SSL_set_session with the cached session of {@code destination}, if any. */
    synchronized void offer(long ssl, String destination) throws OpenSslException {
        Long s = byDestination.get(destination);
        if (s != null) NativeTls.SSL_set_session(ssl, s);
    }

    synchronized void clear() {
        for (long s : byDestination.values()) NativeTls.SSL_SESSION_free(s);
        byDestination.clear();
    }
}
