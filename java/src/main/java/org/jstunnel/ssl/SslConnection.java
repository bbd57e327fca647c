package org.jstunnel.ssl;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.jstunnel.io.BufferPool;
import org.jstunnel.io.ProbingReader;
import org.jstunnel.io.SocketBacked;
import org.jstunnel.keys.KeyDeadlineException;
import org.jstunnel.keys.KeyRunner;
import org.jstunnel.keys.KeyStep;
import org.jstunnel.keys.NativeKeys;

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
    /** The most one record of MAX_PLAINTEXT takes on the wire (header, padding, MAC or tag). */
    private static final int MAX_RECORD = MAX_PLAINTEXT + 2048;
    /** {@link #read} results other than data: the peer's close_notify, and a TCP EOF without it. */
    public static final ByteBuffer CLOSE_NOTIFY = ByteBuffer.allocate(0).asReadOnlyBuffer();
    public static final ByteBuffer EOF = ByteBuffer.allocate(0).asReadOnlyBuffer();
    /** {@link #read}: the peer reset the connection, which then read as end of stream. */
    public static final ByteBuffer EOF_AFTER_RESET = ByteBuffer.allocate(0).asReadOnlyBuffer();
    /** {@link #readIfAvailable}: no complete record yet, and nothing more to read from the socket now. */
    public static final ByteBuffer NEED_INPUT = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final SslContext context;
    private final SslUpcalls upcalls; // verification, SNI, sessions, PSK (issue 3)
    private final long ssl;
    private final ReentrantLock sslLock = new ReentrantLock();
    private final ReentrantLock netWriteLock = new ReentrantLock();
    private ProbingReader reader; // only the reading thread (or the handshake) receives
    private Exception deferredReadFailure; // only the reading thread: met after data it returned
    private boolean freed;
    private volatile boolean eofReceived; // a TCP EOF (not a close_notify) ended the peer's direction
    private volatile int unsent;          // plaintext of the last failed write that never reached the wire
    private KeyStep keyStep; // the handshake's key steps run on a token's key runner (issue 10)
    private volatile CompletableFuture<?> runnerHolds; // a runner still uses the SSL after a missed deadline
    private volatile boolean keyAlertSent;

    SslConnection(SslContext context, CertificateVerifier verifier) throws OpenSslException {
        this.context = context;
        this.upcalls = new SslUpcalls(context, verifier);
        this.ssl = NativeSsl.SSL_new(context.handle(), upcalls);
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
     * sent before the exception propagates, so the peer learns why. A TCP EOF is handed to OpenSSL,
     * which fails the handshake with its own error ("unexpected eof while reading") and alert, as on
     * a socket; a socket error fails it as {@link TlsSocketException} (stunnel's SSL_ERROR_SYSCALL).
     */
    public void handshake(ByteChannel net) throws IOException, OpenSslException {
        String call = context.settings().client() ? "SSL_connect" : "SSL_accept";
        boolean eofGiven = false;
        while (true) {
            sslLock.lock();
            int r;
            try {
                r = keyStep != null ? keyStep.doHandshake() : NativeSsl.SSL_do_handshake(ssl);
                if (r == -NativeKeys.SSL_ERROR_WANT_X509_LOOKUP && keyStep == null) r = toKeyRunner().doHandshake();
            } catch (KeyDeadlineException e) {
                throw keyDeadlineMissed(e, net);
            } catch (OpenSslException e) {
                sendPendingQuietly(net, e);
                throw e;
            }
            try {
                sendPendingAndUnlock(net);
            } catch (IOException e) {
                // As OpenSSL does on a socket (statem_srvr.c): a TLS 1.3 server whose session tickets
                // meet a peer that already closed completes the handshake; the peer's close_notify is
                // then read as usual ("Connection closed", as stunnel logs for `openssl s_time -new`)
                if (r != 1 || !org.jstunnel.net.Errors.peerClosed(e) || context.settings().client()
                        || !"TLSv1.3".equals(protocol())) throw new TlsSocketException(call, e);
            }
            if (r == 1) {
                locked(() -> { NativeTls.SSL_cache_server_session(ssl); return null; }); // stunnel's ssl_start
                return;
            }
            if (r != -NativeSsl.SSL_ERROR_WANT_READ)
                throw new IOException("SSL_do_handshake: unexpected SSL_get_error " + (-r));
            if (eofGiven) throw new EOFException(call + ": Peer suddenly disconnected");
            boolean received;
            try {
                received = receive(net);
            } catch (IOException e) {
                throw new TlsSocketException(call, e);
            }
            if (!received) {
                eofGiven = true;
                locked(() -> { NativeSsl.BIO_set_mem_eof_return_in(ssl, 0); return null; });
            }
        }
    }

    /** The full handshake is about to use a token key: its next steps run on that token's key runner. */
    private KeyStep toKeyRunner() throws OpenSslException {
        KeyRunner runner = upcalls.current().keyRunner(); // an SNI slave's context, if the handshake switched
        if (runner == null) throw new OpenSslException(handshakeCall(), new String[] {"handshake suspended for a key without a key runner"});
        return keyStep = new KeyStep(runner, upcalls.current().keyRecovery(), ssl, !context.settings().client());
    }

    /**
     * A key step missed its deadline: the handshake fails with an internal_error alert (written here:
     * the SSL may still be in the runner's hands, and it is not touched until the runner returns).
     * Precondition: sslLock held; released on return.
     */
    private OpenSslException keyDeadlineMissed(KeyDeadlineException e, ByteChannel net) {
        runnerHolds = e.stillRunning();
        sslLock.unlock();
        netWriteLock.lock();
        try {
            // a plaintext fatal internal_error: every key step comes before the side's encrypted records
            // (a TLS 1.3 client's excepted, whose server then fails on an unexpected record)
            net.write(ByteBuffer.wrap(new byte[] {21, 3, 3, 0, 2, 2, 80}));
            keyAlertSent = true;
        } catch (IOException | RuntimeException ignored) {
            // the peer left: nothing to tell it
        } finally {
            netWriteLock.unlock();
        }
        return new OpenSslException(handshakeCall(), new String[] {e.getMessage()});
    }

    private String handshakeCall() { return context.settings().client() ? "SSL_connect" : "SSL_accept"; }

    /**
     * Blocks until plaintext arrives and returns it in a buffer of {@link BufferPool#PLAIN} (flipped;
     * the caller releases it), or {@link #CLOSE_NOTIFY} / {@link #EOF}. No buffer is held while waiting.
     * Decrypts every record already received, up to the buffer's size, so the caller writes them
     * with one system call; a condition met after some data (close_notify, an error) is reported
     * by the next call, after the data.
     */
    public ByteBuffer read(ByteChannel net) throws IOException, OpenSslException {
        return read(net, BLOCK);
    }

    /**
     * As {@link #read}, but never waits for the network: {@link #NEED_INPUT} when the socket has
     * nothing more yet. {@code woken}: the socket was just reported readable (see
     * {@link ProbingReader#readIfAvailable}).
     */
    public ByteBuffer readIfAvailable(ByteChannel net, boolean woken) throws IOException, OpenSslException {
        return read(net, woken ? WOKEN : NONBLOCK);
    }

    private static final int BLOCK = 0, NONBLOCK = 1, WOKEN = 2;

    private ByteBuffer read(ByteChannel net, int mode) throws IOException, OpenSslException {
        if (deferredReadFailure != null) {
            Exception e = deferredReadFailure;
            deferredReadFailure = null;
            if (e instanceof OpenSslException ssl) throw ssl;
            if (e instanceof IOException io) throw io;
            throw (RuntimeException) e;
        }
        while (true) {
            ByteBuffer dst = BufferPool.PLAIN.acquire();
            int got = 0;
            int r;
            sslLock.lock();
            try {
                do {
                    r = NativeSsl.SSL_read(ssl, dst, got, dst.capacity() - got);
                    if (r > 0) got += r;
                } while (r > 0 && got < dst.capacity());
            } catch (OpenSslException | RuntimeException e) {
                if (got == 0) {
                    BufferPool.PLAIN.release(dst);
                    sendPendingQuietly(net, e);
                    throw e;
                }
                deferredReadFailure = e;
                r = 0;
            }
            // SSL_read may have produced records (KeyUpdate response, alerts): send them in order
            try {
                sendPendingAndUnlock(net);
            } catch (IOException | RuntimeException e) {
                BufferPool.PLAIN.release(dst);
                throw e;
            }
            if (!upcalls.current().extras().renegotiation() && renegotiationDetected()) {
                BufferPool.PLAIN.release(dst);
                throw new TlsAbortException("Aborting due to renegotiation request");
            }
            if (got > 0) return dst.limit(got);
            BufferPool.PLAIN.release(dst);
            if (r == -NativeSsl.SSL_ERROR_ZERO_RETURN) return CLOSE_NOTIFY;
            if (r != -NativeSsl.SSL_ERROR_WANT_READ)
                throw new IOException("SSL_read: unexpected SSL_get_error " + (-r));
            int received = receive(net, mode);
            if (received == 0) {
                // TCP EOF without close_notify. After a FIN (stunnel's "read hangup") only the peer's
                // direction is over: it may still read what the other side sends, and gets our
                // close_notify after it. After a reset the peer reads nothing more (both ways over).
                boolean reset = reader(net).resetSeen();
                locked(() -> {
                    int flags = NativeSsl.SSL_get_shutdown(ssl) | NativeSsl.SSL_RECEIVED_SHUTDOWN;
                    NativeSsl.SSL_set_shutdown(ssl, reset ? flags | NativeSsl.SSL_SENT_SHUTDOWN : flags);
                    return null;
                });
                eofReceived = true;
                return reset ? EOF_AFTER_RESET : EOF;
            }
            if (received < 0) return NEED_INPUT;
            if (mode == WOKEN) mode = NONBLOCK; // the readiness is used up
        }
    }

    /**
     * Encrypts all of {@code src} (a direct buffer) and sends it: up to a {@link BufferPool#NET}
     * buffer's worth of records per write to the socket.
     */
    public void write(ByteChannel net, ByteBuffer src) throws IOException, OpenSslException {
        while (src.hasRemaining()) {
            sslLock.lock();
            int r;
            int batch = 0;
            try {
                do {
                    r = NativeSsl.SSL_write(ssl, src, src.position(), Math.min(src.remaining(), MAX_PLAINTEXT));
                    if (r > 0) {
                        src.position(src.position() + r);
                        batch += r;
                    }
                } while (r > 0 && src.hasRemaining()
                        && NativeSsl.BIO_pending_out(ssl) <= BufferPool.NET.bufferSize() - MAX_RECORD);
            } catch (OpenSslException e) {
                sendPendingQuietly(net, e);
                throw e;
            }
            try {
                sendPendingAndUnlock(net);
            } catch (IOException e) {
                unsent = batch + src.remaining(); // stunnel's "with N unsent byte(s)"
                throw e;
            }
            if (r <= 0) // memory BIOs never want write; wanting read here means renegotiation
                throw new IOException("SSL_write: unexpected SSL_get_error " + (-r));
        }
    }

    /** Plaintext bytes the last failed {@link #write} could not put on the wire. */
    public int unsent() { return unsent; }

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
            sendPendingQuietly(net, e);
            throw e;
        }
        sendPendingAndUnlock(net);
        return true;
    }

    /** The peer's direction ended with a TCP EOF, not a close_notify. */
    public boolean eofReceived() { return eofReceived; }

    /** A write met the peer's reset or a broken pipe: logged once as "TLS fd: ...", as a read would. */
    public void noteReset(ByteChannel net, IOException e) { reader(net).noteReset(e); }

    /** The peer's direction is over: its close_notify, or a TCP EOF. */
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
        return receive(net, BLOCK) > 0;
    }

    /** As {@link #receive(ByteChannel)}: 1 when bytes went in, 0 on EOF, -1 when none are there (not BLOCK). */
    private int receive(ByteChannel net, int mode) throws IOException, OpenSslException {
        ProbingReader reader = reader(net);
        ByteBuffer in = mode == BLOCK ? reader.read(net, BufferPool.NET)
            : reader.readIfAvailable(net, BufferPool.NET, mode == WOKEN);
        if (in == ProbingReader.WOULD_BLOCK) return -1;
        if (in == null) return 0;
        sslLock.lock();
        try {
            NativeSsl.BIO_write_in(ssl, in, 0, in.limit());
        } finally {
            sslLock.unlock();
            BufferPool.NET.release(in);
        }
        return 1;
    }

    /** Transfer phase: the peer's RST reads as end of stream (see {@link ProbingReader#resetAsEndOfStream}). */
    public void netResetAsEndOfStream(ByteChannel net) {
        reader(net).resetAsEndOfStream("TLS fd");
    }

    /** The TLS socket's descriptor for readiness waits, -1 if unknown (see {@link ProbingReader#fd}). */
    public int netFd(ByteChannel net) {
        return reader(net).fd();
    }

    /** The reader of the TLS socket, made on first use (the handshake's first receive). */
    private ProbingReader reader(ByteChannel net) {
        if (reader == null) reader = new ProbingReader(SocketBacked.of(net));
        return reader;
    }

    /**
     * As {@link #sendPendingAndUnlock}, for a call that already failed: the alert is sent if the peer
     * still reads, and a socket error then is noted on {@code failure} instead of replacing it.
     */
    private void sendPendingQuietly(ByteChannel net, Exception failure) {
        try {
            sendPendingAndUnlock(net);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Precondition: sslLock held by this thread. Postcondition: released, and all output sent. */
    private void sendPendingAndUnlock(ByteChannel net) throws IOException {
        if (NativeSsl.BIO_pending_out(ssl) == 0) {
            sslLock.unlock();
            return;
        }
        boolean sslHeld = true;
        ByteBuffer out = null;
        netWriteLock.lock();
        try {
            out = BufferPool.NET.acquire();
            while (true) {
                out.clear();
                int n = NativeSsl.BIO_read_out(ssl, out, 0, out.capacity());
                boolean more = NativeSsl.BIO_pending_out(ssl) > 0;
                sslLock.unlock();
                sslHeld = false;
                out.limit(n);
                while (out.hasRemaining()) net.write(out);
                if (!more) return;
                sslLock.lock();
                sslHeld = true;
            }
        } finally {
            if (sslHeld) sslLock.unlock();
            netWriteLock.unlock();
            BufferPool.NET.release(out);
        }
    }

    // ---- what the log and the exec environment need after the handshake

    /** stunnel's "previous session reused": a resumption, not a PSK handshake. */
    public boolean sessionReused() { return locked(() -> NativeSsl.SSL_session_reused(ssl)) && !upcalls.pskUsed(); }

    private boolean renegotiationDetected() { return locked(() -> NativeTls.SSL_renegotiation_detected(ssl)); }

    /**
     * Client side, before the handshake: offers the session cached for this destination (stunnel's
     * session_cache_retrieve) and caches the new one the handshake brings.
     */
    public void useSessionCache(String destination) throws OpenSslException {
        upcalls.destination(destination);
        sslLock.lock();
        try {
            context.clientSessions().offer(ssl, destination);
        } finally {
            sslLock.unlock();
        }
    }

    /** The SNI slave service the handshake switched to (what the connection continues as), or null. */
    public Object sniTarget() { return upcalls.sniTarget(); }
    public String protocol() { return locked(() -> NativeSsl.SSL_get_version(ssl)); }
    public String cipher() { return locked(() -> NativeSsl.SSL_get_cipher_name(ssl)); }
    public int cipherBits() { return locked(() -> NativeSsl.SSL_get_cipher_bits(ssl)); }
    public String peerSubject() { return locked(() -> NativeSsl.SSL_get_peer_subject(ssl)); }
    public String peerIssuer() { return locked(() -> NativeSsl.SSL_get_peer_issuer(ssl)); }
    public boolean fatalAlertSeen() { return keyAlertSent || runnerHolds == null && locked(() -> NativeSsl.SSL_fatal_alert_seen(ssl)); }
    /** stunnel's print_tmp_key text, or null when the peer sent no temporary key. */
    public String peerTmpKey() { return locked(() -> NativeSsl.SSL_get_peer_tmp_key_text(ssl)); }

    /** Server side, after connecting: keeps the connect address with the session (stunnel's persistence). */
    public boolean rememberConnectAddress(String address) {
        return locked(() -> NativeTls.SSL_SESSION_set_connect_address(ssl, address));
    }

    /** The connect address kept with a resumed session, or null. */
    public String rememberedConnectAddress() { return locked(() -> NativeTls.SSL_SESSION_get_connect_address(ssl)); }

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
        CompletableFuture<?> held = runnerHolds;
        if (held != null && !held.isDone()) { // a hung token call: free the SSL once the runner returns
            held.whenComplete((v, t) -> close());
            return;
        }
        sslLock.lock();
        try {
            if (freed) return;
            freed = true;
            NativeSsl.SSL_free(ssl);
        } finally {
            sslLock.unlock();
        }
        context.release();
        upcalls.release();
    }
}
