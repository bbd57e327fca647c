package org.jstunnel.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import org.jstunnel.io.BufferPool;
import org.jstunnel.log.Log;
import org.jstunnel.ssl.OpenSslException;
import org.jstunnel.ssl.SslConnection;

/**
 * The TLS stream after the handshake (stunnel's s_ssl_read, ssl_getline, ssl_putline). A record
 * may carry more than the negotiation asked for; what is left over is handed to the transfer
 * ({@link #takeLeftover}) so no byte is lost.
 */
public final class TlsWire extends Wire {
    private final SslConnection tls;
    private final ByteChannel net;
    private byte[] pending = new byte[0];
    private int pendingPos;

    public TlsWire(SslConnection tls, ByteChannel net) {
        super("ssl", "s_ssl_read");
        this.tls = tls;
        this.net = net;
    }

    @Override
    protected int readSome(byte[] b, int off, int len) throws IOException {
        if (pendingPos == pending.length) {
            ByteBuffer got;
            try {
                got = tls.read(net);
            } catch (OpenSslException e) {
                for (String line : e.queue()) Log.err("s_ssl_read_eof: " + e.call() + ": " + line);
                throw NegotiationFailed.reset(e.queue().isEmpty() ? "s_ssl_read_eof: " + e.getMessage() : null);
            }
            if (got == SslConnection.CLOSE_NOTIFY) {
                Log.debug("s_ssl_read_eof: close_notify");
                return -1;
            }
            if (got == SslConnection.EOF) {
                Log.debug("s_ssl_read_eof: TLS socket closed");
                return -1;
            }
            pending = new byte[got.remaining()];
            got.get(pending);
            pendingPos = 0;
            BufferPool.PLAIN.release(got);
        }
        int n = Math.min(len, pending.length - pendingPos);
        System.arraycopy(pending, pendingPos, b, off, n);
        pendingPos += n;
        return n;
    }

    @Override
    public void write(byte[] b) throws IOException {
        ByteBuffer src = ByteBuffer.allocateDirect(Math.max(1, b.length));
        src.put(b).flip();
        try {
            tls.write(net, src);
        } catch (OpenSslException e) {
            for (String line : e.queue()) Log.err("s_ssl_write: " + e.call() + ": " + line);
            throw NegotiationFailed.reset(e.queue().isEmpty() ? "s_ssl_write: " + e.getMessage() : null);
        }
    }

    @Override
    public boolean readableWithin(int millis) { return pendingPos < pending.length; }

    @Override
    public int discardPending() {
        int n = pending.length - pendingPos;
        pendingPos = pending.length;
        return n;
    }

    /** Plaintext already decrypted but not used by the negotiation: the start of the transfer. */
    public byte[] takeLeftover() {
        byte[] rest = java.util.Arrays.copyOfRange(pending, pendingPos, pending.length);
        pendingPos = pending.length;
        return rest;
    }
}
