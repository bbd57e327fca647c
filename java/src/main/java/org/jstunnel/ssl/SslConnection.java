package org.jstunnel.ssl;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One TLS connection over a byte channel, OpenSSL doing the records on memory BIOs and direct buffers.
 *
 * <p>Two threads may use it at once, one reading ({@link #read}) and one writing ({@link #write}).
 * Every SSL call runs under {@code sslLock} and never blocks. Ciphertext OpenSSL produced is sent
 * under {@code netWriteLock}, which is taken before {@code sslLock} is released so records reach
 * the wire in the order they were made, and {@code sslLock} is never held across socket I/O (the
 * other direction must be able to decrypt while this one waits for the peer to read).
 */
public final class SslConnection implements AutoCloseable {
    /** Largest plaintext per SSL_write: one record. */
    public static final int MAX_PLAINTEXT = 16384;
    // one full record plus what a handshake flight or post-handshake messages may add
    private static final int NET_BUFFER = 64 * 1024;

    private final SslContext context;
    private final long ssl;
    private final ReentrantLock sslLock = new ReentrantLock();
    private final ReentrantLock netWriteLock = new ReentrantLock();
    private final ByteBuffer netIn = ByteBuffer.allocateDirect(NET_BUFFER);
    private final ByteBuffer netOut = ByteBuffer.allocateDirect(NET_BUFFER);
    private boolean freed;

    SslConnection(SslContext context, CertificateVerifier verifier) throws OpenSslException {
        this.context = context;
        this.ssl = NativeSsl.SSL_new(context.handle(), verifier);
        if (context.settings().client()) {
            NativeSsl.SSL_set_connect_state(ssl);
        } else {
            NativeSsl.SSL_set_accept_state(ssl);
        }
    }

    /** Client side: the server name to send (SNI). */
    public void setServerName(String name) throws OpenSslException {
        sslLock.lock();
        try {
            NativeSsl.SSL_set_tlsext_host_name(ssl, name);
        } finally {
            sslLock.unlock();
        }
    }

    /**
     * Runs the handshake to completion over {@code net}. On failure the alert OpenSSL produced is
     * sent before the exception propagates, so the peer learns why.
     * @throws EOFException when the peer closed before the handshake completed
     */
    public void handshake(ByteChannel net) throws IOException, OpenSslException {
        while (true) {
            sslLock.lock();
            int r;
            try {
                r = NativeSsl.SSL_do_handshake(ssl);
            } catch (OpenSslException e) {
                sendPendingAndUnlock(net);
                throw e;
            }
            sendPendingAndUnlock(net);
            if (r == 1) return;
            if (r != -NativeSsl.SSL_ERROR_WANT_READ)
                throw new IOException("SSL_do_handshake: unexpected SSL_get_error " + (-r));
            if (!receive(net)) throw new EOFException("Peer suddenly disconnected");
        }
    }

    /**
     * Decrypts into {@code dst} (a direct buffer) from its position, blocking on the network as needed.
     * @return bytes decrypted (> 0); -1 when the peer sent close_notify; -2 on a TCP EOF without it
     */
    public int read(ByteChannel net, ByteBuffer dst) throws IOException, OpenSslException {
        while (true) {
            sslLock.lock();
            int r;
            try {
                r = NativeSsl.SSL_read(ssl, dst, dst.position(), dst.remaining());
            } catch (OpenSslException e) {
                sendPendingAndUnlock(net);
                throw e;
            }
            // SSL_read may have produced records (KeyUpdate response, alerts): send them in order
            sendPendingAndUnlock(net);
            if (r > 0) {
                dst.position(dst.position() + r);
                return r;
            }
            if (r == -NativeSsl.SSL_ERROR_ZERO_RETURN) return -1;
            if (r != -NativeSsl.SSL_ERROR_WANT_READ)
                throw new IOException("SSL_read: unexpected SSL_get_error " + (-r));
            if (!receive(net)) return -2;
        }
    }

    /** Encrypts all of {@code src} (a direct buffer) and sends it. */
    public void write(ByteChannel net, ByteBuffer src) throws IOException, OpenSslException {
        while (src.hasRemaining()) {
            sslLock.lock();
            int r;
            try {
                r = NativeSsl.SSL_write(ssl, src, src.position(), Math.min(src.remaining(), MAX_PLAINTEXT));
            } catch (OpenSslException e) {
                sendPendingAndUnlock(net);
                throw e;
            }
            sendPendingAndUnlock(net);
            if (r <= 0) // memory BIOs never want write; wanting read here means renegotiation
                throw new IOException("SSL_write: unexpected SSL_get_error " + (-r));
            src.position(src.position() + r);
        }
    }

    /** Sends close_notify (once). Returns false if it was already sent. */
    public boolean shutdown(ByteChannel net) throws IOException, OpenSslException {
        sslLock.lock();
        try {
            if ((NativeSsl.SSL_get_shutdown(ssl) & NativeSsl.SSL_SENT_SHUTDOWN) != 0) {
                sslLock.unlock();
                return false;
            }
            NativeSsl.SSL_shutdown(ssl);
        } catch (OpenSslException e) {
            sendPendingAndUnlock(net);
            throw e;
        }
        sendPendingAndUnlock(net);
        return true;
    }

    public boolean closeNotifyReceived() {
        sslLock.lock();
        try {
            return (NativeSsl.SSL_get_shutdown(ssl) & NativeSsl.SSL_RECEIVED_SHUTDOWN) != 0;
        } finally {
            sslLock.unlock();
        }
    }

    /** Reads ciphertext from the network into the read BIO; false on EOF. Caller does not hold sslLock. */
    private boolean receive(ByteChannel net) throws IOException, OpenSslException {
        netIn.clear();
        int n = net.read(netIn);
        if (n < 0) return false;
        sslLock.lock();
        try {
            NativeSsl.BIO_write_in(ssl, netIn, 0, n);
        } finally {
            sslLock.unlock();
        }
        return true;
    }

    /** Precondition: sslLock held by this thread. Postcondition: released, and all output sent. */
    private void sendPendingAndUnlock(ByteChannel net) throws IOException {
        if (NativeSsl.BIO_pending_out(ssl) == 0) {
            sslLock.unlock();
            return;
        }
        boolean sslHeld = true;
        netWriteLock.lock();
        try {
            while (true) {
                netOut.clear();
                int n = NativeSsl.BIO_read_out(ssl, netOut, 0, netOut.capacity());
                boolean more = NativeSsl.BIO_pending_out(ssl) > 0;
                sslLock.unlock();
                sslHeld = false;
                netOut.limit(n);
                while (netOut.hasRemaining()) net.write(netOut);
                if (!more) return;
                sslLock.lock();
                sslHeld = true;
            }
        } finally {
            if (sslHeld) sslLock.unlock();
            netWriteLock.unlock();
        }
    }

    // ---- what the log and the exec environment need after the handshake

    public boolean sessionReused() { return locked(() -> NativeSsl.SSL_session_reused(ssl)); }
    public String protocol() { return locked(() -> NativeSsl.SSL_get_version(ssl)); }
    public String cipher() { return locked(() -> NativeSsl.SSL_get_cipher_name(ssl)); }
    public int cipherBits() { return locked(() -> NativeSsl.SSL_get_cipher_bits(ssl)); }
    public String peerSubject() { return locked(() -> NativeSsl.SSL_get_peer_subject(ssl)); }
    public String peerIssuer() { return locked(() -> NativeSsl.SSL_get_peer_issuer(ssl)); }
    public boolean fatalAlertSeen() { return locked(() -> NativeSsl.SSL_fatal_alert_seen(ssl)); }

    private <T> T locked(java.util.function.Supplier<T> f) {
        sslLock.lock();
        try {
            return f.get();
        } finally {
            sslLock.unlock();
        }
    }

    /** Frees the SSL. Both pumps must have stopped using it. */
    @Override
    public void close() {
        sslLock.lock();
        try {
            if (freed) return;
            freed = true;
            NativeSsl.SSL_free(ssl);
        } finally {
            sslLock.unlock();
        }
        context.release();
    }
}
