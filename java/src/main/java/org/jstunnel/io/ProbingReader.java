package org.jstunnel.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;

/**
 * Reads a socket into pooled buffers without holding one while the socket is idle: it waits with a
 * one-byte read, then takes a buffer and reads what FIONREAD says is already there (never blocking
 * again). While data streams (the last read filled its buffer) it reads straight into a buffer.
 * Channels other than sockets (pipes) just read into a buffer.
 */
public final class ProbingReader {
    private final SocketChannel socket;     // for FIONREAD; null for other channels
    private final ByteBuffer probe;
    private InputStream availability;
    private boolean streaming;

    public ProbingReader(SocketChannel socket) {
        // a Unix-domain channel has no socket adaptor, so no FIONREAD through Java: read directly
        this.socket = socket == null || isUnix(socket) ? null : socket;
        this.probe = this.socket == null ? null : ByteBuffer.allocateDirect(1);
    }

    private static boolean isUnix(SocketChannel ch) {
        try {
            return ch.getLocalAddress() instanceof java.net.UnixDomainSocketAddress;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @return a buffer from {@code pool} holding the bytes read (flipped), or null at end of stream
     */
    public ByteBuffer read(ReadableByteChannel ch, BufferPool pool) throws IOException {
        if (socket == null || streaming) return readDirect(ch, pool);
        probe.clear();
        if (ch.read(probe) < 0) return null;
        ByteBuffer buf = pool.acquire();
        try {
            buf.put(probe.flip());
            int avail = available();
            if (avail > 0) {
                buf.limit(Math.min(buf.capacity(), 1 + avail));
                ch.read(buf); // FIONREAD said these bytes are there: does not block
                streaming = buf.position() == buf.capacity();
                buf.limit(buf.capacity());
            }
            return buf.flip();
        } catch (IOException | RuntimeException e) {
            pool.release(buf);
            throw e;
        }
    }

    private ByteBuffer readDirect(ReadableByteChannel ch, BufferPool pool) throws IOException {
        ByteBuffer buf = pool.acquire();
        try {
            if (ch.read(buf) < 0) {
                pool.release(buf);
                return null;
            }
            streaming = !buf.hasRemaining();
            return buf.flip();
        } catch (IOException | RuntimeException e) {
            pool.release(buf);
            throw e;
        }
    }

    private int available() throws IOException {
        if (availability == null) availability = socket.socket().getInputStream();
        return availability.available();
    }
}
