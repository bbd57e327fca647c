package org.jstunnel.io;

import java.nio.channels.SocketChannel;

/** A channel wrapper over a socket, so readers can ask the socket how much is waiting (FIONREAD). */
public interface SocketBacked {
    SocketChannel socket();

    /** The socket behind {@code ch}, or null when it is not a socket (a pipe, a file). */
    static SocketChannel of(Object ch) {
        if (ch instanceof SocketChannel s) return s;
        if (ch instanceof SocketBacked b) return b.socket();
        return null;
    }
}
