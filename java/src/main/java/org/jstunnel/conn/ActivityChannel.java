package org.jstunnel.conn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;

/** The TLS side's end (a socket, or inetd mode's stdin/stdout), noting every read and write as activity for the timeouts. */
final class ActivityChannel implements ByteChannel, org.jstunnel.io.SocketBacked {
    private final PlainEnd ch;
    private final Connection owner;

    ActivityChannel(PlainEnd ch, Connection owner) {
        this.ch = ch;
        this.owner = owner;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = ch.read(dst);
        owner.touch();
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = ch.write(src);
        owner.touch();
        return n;
    }

    @Override
    public boolean isOpen() { return ch.isOpen(); }

    @Override
    public void close() throws IOException { ch.close(); }

    @Override
    public SocketChannel socket() { return org.jstunnel.io.SocketBacked.of(ch); }
}
