package org.jstunnel.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import org.jstunnel.io.NativeEpoll;
import org.jstunnel.io.SocketBacked;

/**
 * A plain socket (or pipe) before TLS. It reads only what it is asked for, a byte at a time for lines
 * (as stunnel), so nothing the peer sent after the negotiation is consumed: the TLS handshake or the
 * transfer that follows reads it from the socket.
 */
public final class PlainWire extends Wire {
    private final ByteChannel ch;
    private final int fd; // for FIONREAD; -1 when not a socket
    private final ByteBuffer buf = ByteBuffer.allocateDirect(4096);

    public PlainWire(ByteChannel ch) {
        super("fd", "s_read");
        this.ch = ch;
        SocketChannel s = SocketBacked.of(ch);
        int f = -1;
        if (s != null) {
            try {
                f = NativeEpoll.channelFd(s);
            } catch (UnsatisfiedLinkError e) {
                f = -1;
            }
        }
        this.fd = f;
    }

    @Override
    protected int readSome(byte[] b, int off, int len) throws IOException {
        buf.clear().limit(Math.min(len, buf.capacity()));
        int n;
        do {
            n = ch.read(buf);
        } while (n == 0);
        if (n < 0) {
            org.jstunnel.log.Log.debug("s_read_eof: EOF");
            return -1;
        }
        buf.flip().get(b, off, n);
        return n;
    }

    @Override
    public void write(byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = Math.min(buf.capacity(), b.length - off);
            buf.clear();
            buf.put(b, off, n).flip();
            while (buf.hasRemaining()) ch.write(buf);
            off += n;
        }
    }

    private int available() {
        return fd < 0 ? 0 : Math.max(NativeEpoll.ioctl_FIONREAD(fd), 0);
    }

    @Override
    public boolean readableWithin(int millis) throws IOException {
        // polls FIONREAD instead of blocking in poll(2), which would pin the carrier thread
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (int i = 0; i < 1000; i++) {
            if (available() > 0) return true;
            if (System.nanoTime() >= deadline) return false;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
        }
        return false;
    }

    @Override
    public int discardPending() throws IOException {
        int dropped = 0;
        for (int i = 0; i < 64; i++) { // bounded: a peer flooding plaintext fails the handshake anyway
            int n = available();
            if (n <= 0) break;
            byte[] junk = new byte[Math.min(n, buf.capacity())];
            dropped += readSome(junk, 0, junk.length) > 0 ? junk.length : 0;
        }
        return dropped;
    }
}
