package org.jstunnel.conn;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Inetd mode's connection when stdin and stdout are not a socket (pipes, a terminal, files): reads
 * from descriptor 0, writes to descriptor 1. Half-close closes descriptor 1, as stunnel does for a
 * write descriptor that is not a socket. There is no peer address and no reset.
 */
public final class StdioEnd implements PlainEnd {
    private final FileChannel in;
    private final FileChannel out;

    private StdioEnd(FileChannel in, FileChannel out) {
        this.in = in;
        this.out = out;
    }

    /** Descriptors 0 and 1 of this process. */
    public static StdioEnd standard() {
        return new StdioEnd(new FileInputStream(FileDescriptor.in).getChannel(),
            new FileOutputStream(FileDescriptor.out).getChannel());
    }

    @Override public int read(ByteBuffer dst) throws IOException { return in.read(dst); }
    @Override public int write(ByteBuffer src) throws IOException { return out.write(src); }
    @Override public boolean isOpen() { return in.isOpen() || out.isOpen(); }

    @Override
    public void shutdownOutput() throws IOException {
        out.close();
    }

    @Override
    public void close(boolean reset) {
        try {
            out.close();
        } catch (IOException ignored) {
            // closing: nothing left to lose
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // closing: nothing left to lose
        }
    }

    @Override public SocketAddress peerAddress() { return null; }
    @Override public SocketAddress localAddress() { return null; }
}
