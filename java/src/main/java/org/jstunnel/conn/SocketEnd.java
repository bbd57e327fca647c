package org.jstunnel.conn;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A connection end that is a socket: accepted, connected, or one side of an exec socket pair. */
public final class SocketEnd implements PlainEnd, org.jstunnel.io.SocketBacked {
    private final SocketChannel ch;
    private final SocketAddress peer, local; // from an inbound PROXY header; null: the socket's own

    public SocketEnd(SocketChannel ch) { this(ch, null, null); }

    /** The socket, known by the addresses a trusted balancer's PROXY header gave (issue 14). */
    public SocketEnd(SocketChannel ch, SocketAddress peer, SocketAddress local) {
        this.ch = ch;
        this.peer = peer;
        this.local = local;
    }

    @Override
    public SocketChannel socket() { return ch; }

    @Override public int read(ByteBuffer dst) throws IOException { return ch.read(dst); }
    @Override public int write(ByteBuffer src) throws IOException { return ch.write(src); }
    @Override public boolean isOpen() { return ch.isOpen(); }
    @Override public void shutdownOutput() throws IOException { ch.shutdownOutput(); }

    @Override
    public void close(boolean reset) {
        if (reset && ch.isOpen()) {
            try {
                ch.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST
            } catch (IOException | UnsupportedOperationException ignored) {
                // a Unix socket has no RST; plain close is all there is
            }
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing: nothing left to lose
        }
    }

    @Override
    public SocketAddress peerAddress() {
        if (peer != null) return peer;
        try {
            return ch.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress localAddress() {
        if (local != null) return local;
        try {
            return ch.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean isSocket() { return true; }
}
