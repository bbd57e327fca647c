package org.jstunnel.net;

/**
 * stunnel's connect persistence (client.c idx_cache_save/idx_cache_retrieve): a server session keeps
 * the connect target it used, and a connection that resumes it starts its failover there.
 */
public interface Persistence {
    /** No TLS session on this side (client mode connects before its handshake). */
    Persistence NONE = new Persistence() {
        @Override public String resumedAddress() { return null; }
        @Override public boolean remember(String address) { return false; }
    };

    /** Null unless the session was resumed; then the address kept with it, or "" when none was kept. */
    String resumedAddress();

    /** Keeps {@code address} with the session; false when there is no session. */
    boolean remember(String address);
}
