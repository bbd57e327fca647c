package org.jstunnel.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import org.jstunnel.log.Log;
import org.jstunnel.net.Errors;

/**
 * Reads a socket into pooled buffers without holding one while the socket is idle: it waits with a
 * one-byte read, then takes a buffer and reads what FIONREAD says is already there (never blocking
 * again). While data streams (the last read filled its buffer) it reads straight into a buffer.
 * Channels other than sockets (pipes) just read into a buffer.
 *
 * <p>{@link #readIfAvailable} does not wait at all: it says {@link #WOULD_BLOCK} and the caller
 * waits for readiness without a thread ({@link ReadinessWatcher}).
 */
public final class ProbingReader {
    /** {@link #readIfAvailable}: nothing to read yet. */
    public static final ByteBuffer WOULD_BLOCK = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final SocketChannel socket;     // for FIONREAD; null for other channels
    private final int fd;                   // the socket's descriptor, -1 if unknown
    private ByteBuffer probe;
    private InputStream availability;
    private boolean streaming;
    private String resetLabel; // non-null: a peer's RST reads as end of stream, logged under this name
    private volatile boolean resetSeen; // a RST was read as end of stream (and logged)

    public ProbingReader(SocketChannel socket) {
        // a Unix-domain channel has no socket adaptor, so no FIONREAD through Java: read directly
        this.socket = socket == null || isUnix(socket) ? null : socket;
        this.fd = this.socket == null ? -1 : fdOf(this.socket);
    }

    private static int fdOf(SocketChannel ch) {
        try {
            return NativeEpoll.channelFd(ch);
        } catch (UnsatisfiedLinkError e) {
            return -1;
        }
    }

    /**
     * From now on a connection reset by the peer reads as end of stream, logged at info level as
     * "{@code label}: Connection reset by peer (104)": stunnel's transfer loop sees the RST in poll
     * first (POLLERR), logs SO_ERROR that way, and its next read then returns 0.
     */
    public void resetAsEndOfStream(String label) { this.resetLabel = label; }

    /** The socket's descriptor, for readiness waits; -1 when this reader cannot tell (then it blocks). */
    public int fd() { return fd; }

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
        try {
            return probeAndRead(ch, pool);
        } catch (IOException e) {
            return resetOrThrow(e);
        }
    }

    private ByteBuffer resetOrThrow(IOException e) throws IOException {
        if (resetLabel == null || !Errors.peerClosed(e)) throw e;
        noteReset(e);
        return null;
    }

    /**
     * Logs a peer's RST or broken pipe once, as stunnel's poll loop logs SO_ERROR ("{@code TLS fd: ...}"),
     * whoever meets it first: this reader, or a write to the same socket. False if already logged.
     */
    public boolean noteReset(IOException e) {
        if (resetSeen || resetLabel == null) return false;
        resetSeen = true;
        Log.info(resetLabel + ": " + Errors.describe(e));
        return true;
    }

    /** A RST ended this socket's input (see {@link #resetAsEndOfStream}). */
    public boolean resetSeen() { return resetSeen; }

    private ByteBuffer probeAndRead(ReadableByteChannel ch, BufferPool pool) throws IOException {
        if (socket == null || streaming) return readDirect(ch, pool);
        if (probe == null) probe = ByteBuffer.allocateDirect(1);
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

    /**
     * Reads what is there without waiting: a buffer of data (flipped), null at end of stream, or
     * {@link #WOULD_BLOCK}. {@code woken}: readiness was just reported, so a read returns at once
     * (data, end of stream or an error: FIONREAD says 0 for the last two). Without a descriptor it
     * is {@link #read}, which may block.
     */
    public ByteBuffer readIfAvailable(ReadableByteChannel ch, BufferPool pool, boolean woken) throws IOException {
        if (fd < 0) return read(ch, pool);
        if (!woken && !streaming && NativeEpoll.ioctl_FIONREAD(fd) == 0) return WOULD_BLOCK;
        try {
            return readDirect(ch, pool);
        } catch (IOException e) {
            return resetOrThrow(e);
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
        if (fd >= 0) return Math.max(NativeEpoll.ioctl_FIONREAD(fd), 0); // an error: the read reports it
        if (availability == null) availability = socket.socket().getInputStream();
        return availability.available();
    }
}
