package org.jstunnel.conn;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * The TLS end of a server connection during its handshake, showing the first bytes read (the
 * ClientHello) to {@code firstBytes} before OpenSSL gets them: sessiond fetches the session the
 * client asks to resume there, on this virtual thread, outside any OpenSSL call.
 */
final class PrefetchingEnd implements PlainEnd, org.jstunnel.io.SocketBacked {
    private final PlainEnd inner;
    private Consumer<ByteBuffer> firstBytes; // null once used (one reading thread during the handshake)

    PrefetchingEnd(PlainEnd inner, Consumer<ByteBuffer> firstBytes) {
        this.inner = inner;
        this.firstBytes = firstBytes;
    }

    /**
     * Collects what is read until the first TLS record is complete (the handshake's reader probes one
     * byte, then reads the rest before OpenSSL gets any of it), then shows it to {@code firstBytes}.
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int n = inner.read(dst);
        Consumer<ByteBuffer> f = firstBytes;
        if (n > 0 && f != null) {
            ByteBuffer view = dst.duplicate();
            view.position(start).limit(start + n);
            seen.put(view.limit(start + Math.min(n, seen.remaining())));
            if (recordComplete()) {
                firstBytes = null;
                f.accept(seen.flip());
                seen = null;
            }
        }
        return n;
    }

    private ByteBuffer seen = ByteBuffer.allocate(MAX_RECORD);

    private static final int MAX_RECORD = 5 + 16384;

    private boolean recordComplete() {
        int have = seen.position();
        if (have >= 1 && seen.get(0) != 0x16) return true; // not a handshake record: nothing to look at
        if (have < 5) return false;
        int len = ((seen.get(3) & 0xff) << 8) | (seen.get(4) & 0xff);
        return have >= 5 + len || !seen.hasRemaining();
    }

    @Override public int write(ByteBuffer src) throws IOException { return inner.write(src); }
    @Override public boolean isOpen() { return inner.isOpen(); }
    @Override public void shutdownOutput() throws IOException { inner.shutdownOutput(); }
    @Override public void close(boolean reset) { inner.close(reset); }
    @Override public SocketAddress peerAddress() { return inner.peerAddress(); }
    @Override public SocketAddress localAddress() { return inner.localAddress(); }
    @Override public boolean isSocket() { return inner.isSocket(); }
    @Override public SocketChannel socket() { return org.jstunnel.io.SocketBacked.of(inner); }
}
