package org.jstunnel.sessiond;

import java.util.concurrent.ConcurrentHashMap;
import org.jstunnel.ssl.NativeLibrary;
import org.jstunnel.ssl.OpenSslException;

/**
 * The native side of sessiond ({@code native/jst_sessiond.c}): OpenSSL's new and remove session
 * callbacks reach {@link #onNew} and {@link #onRemove} (on the handshaking thread, inside OpenSSL:
 * they only queue a datagram, never wait), and {@link #addSession} puts a fetched session into a
 * context's cache.
 */
public final class NativeSessiond {
    static {
        NativeLibrary.load();
    }

    private static final ConcurrentHashMap<Long, SessiondClient> CLIENTS = new ConcurrentHashMap<>();

    private NativeSessiond() {}

    /** Installs the callbacks on {@code ctx} (an SSL_CTX). */
    static native void enable(long ctx) throws OpenSslException;

    /** d2i_SSL_SESSION and SSL_CTX_add_session; false if the bytes are not a session. */
    static native boolean addSession(long ctx, byte[] der);

    static void register(long ctx, SessiondClient client) throws OpenSslException {
        CLIENTS.put(ctx, client);
        enable(ctx);
    }

    static void unregister(long ctx) {
        CLIENTS.remove(ctx);
    }

    // upcalls from jst_sessiond.c: exceptions must not escape into OpenSSL
    @SuppressWarnings("unused")
    private static void onNew(long ctx, byte[] id, long timeout, byte[] der) {
        SessiondClient c = CLIENTS.get(ctx);
        if (c != null) c.newSession(id, timeout, der);
    }

    @SuppressWarnings("unused")
    private static void onRemove(long ctx, byte[] id) {
        SessiondClient c = CLIENTS.get(ctx);
        if (c != null) c.removeSession(id);
    }
}
