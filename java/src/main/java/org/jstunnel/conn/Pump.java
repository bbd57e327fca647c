package org.jstunnel.conn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jstunnel.io.BufferPool;
import org.jstunnel.io.ProbingReader;
import org.jstunnel.io.ReadinessWatcher;
import org.jstunnel.log.Log;
import org.jstunnel.log.LogContext;
import org.jstunnel.net.Errors;
import org.jstunnel.ssl.OpenSslException;
import org.jstunnel.ssl.SslConnection;

/**
 * Moves bytes both ways between the plain socket and the TLS connection, with stunnel's half-close:
 * plain EOF → close_notify to the TLS peer; close_notify (or EOF) from the TLS peer →
 * shutdown(SHUT_WR) of the plain socket. Ends when both directions ended, then reports the first
 * failure (or null) to {@code done}. The first failure aborts both directions (sockets closed).
 *
 * <p>Each direction runs on a virtual thread while bytes flow. When its socket has nothing to read
 * it hands the wait to the {@link ReadinessWatcher} and its thread ends, so an idle connection
 * holds no thread (stunnel holds one per connection); readiness starts a new virtual thread that
 * continues the direction. Where the watcher cannot be used (pipes, no epoll) a direction blocks
 * in its reads instead.
 */
final class Pump {
    private static final int RUNNING = 0, IDLE = 1, ENDED = 2;

    private final Connection conn;
    private final PlainEnd plain;
    private final ActivityChannel tlsNet;
    private final SslConnection tls;
    private final Consumer<Exception> done;
    private final LogContext logContext;
    private final ReadinessWatcher watcher;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicInteger running = new AtomicInteger(2);
    private final Object armLock = new Object(); // abort vs. arming: no wait is armed on a closed socket
    private boolean aborted;                     // guarded by armLock
    private final Direction up = new Direction("up", this::plainToTls);
    private final Direction down = new Direction("down", this::tlsToPlain);
    private ProbingReader upReader; // only the up direction's current thread
    // stunnel's sock_open_rd/sock_open_wr = 0 on a dead plain socket, and SSL_SENT_SHUTDOWN after a
    // TLS reset: the other direction stops at its next step (woken from an idle wait)
    private volatile boolean plainDead;
    private volatile boolean tlsDead;

    Pump(Connection conn, PlainEnd plain, ActivityChannel tlsNet, SslConnection tls, Consumer<Exception> done) {
        this.conn = conn;
        this.plain = plain;
        this.tlsNet = tlsNet;
        this.tls = tls;
        this.done = done;
        this.logContext = Log.context();
        this.watcher = ReadinessWatcher.get();
    }

    /** Starts both directions; returns at once. */
    void start() {
        upReader = new ProbingReader(org.jstunnel.io.SocketBacked.of(plain));
        upReader.resetAsEndOfStream("socket fd");
        tls.netResetAsEndOfStream(tlsNet);
        if (watcher != null) {
            if (upReader.fd() >= 0) up.registration = watcher.register(upReader.fd());
            int tlsFd = tls.netFd(tlsNet);
            if (tlsFd >= 0) down.registration = watcher.register(tlsFd);
        }
        Thread.ofVirtual().name("jstunnel-up-" + logContext.id()).start(up::run);
        down.run(); // on the caller's thread: the connection's own
    }

    /**
     * Ends the transfer: closes both sockets (blocked reads and writes fail) and ends the directions
     * waiting for readiness. Safe from any thread, any number of times.
     */
    void abort() {
        synchronized (armLock) {
            aborted = true;
            up.cancelWait();
            down.cancelWait();
        }
        conn.closeEnds();
        up.endIfCancelled();
        down.endIfCancelled();
    }

    /** One direction's state: running on a thread, waiting for readiness, or ended. */
    private final class Direction {
        final String name;
        final Body body;
        final AtomicInteger state = new AtomicInteger(RUNNING);
        ReadinessWatcher.Registration registration; // null: this direction blocks in reads
        boolean woken;            // the next read follows a readiness report
        final java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();

        Direction(String name, Body body) {
            this.name = name;
            this.body = body;
        }

        void run() {
            Log.setContext(logContext);
            try {
                boolean waiting;
                try {
                    waiting = body.run(this);
                } catch (IOException | OpenSslException | RuntimeException e) {
                    // the other direction's failure closed our socket: report the cause, not the echo
                    boolean echo = e instanceof ClosedChannelException && failure.get() != null;
                    if (!echo) failure.compareAndSet(null, e);
                    state.set(ENDED);
                    abort();
                    ended();
                    return;
                }
                if (waiting) return; // another thread continues this direction: touch nothing
                state.set(ENDED);
                ended();
            } finally {
                Log.clearContext();
            }
        }

        /**
         * The socket has nothing to read: wait for it without a thread. True if the wait is armed (the
         * caller's thread must end now, touching nothing); false to go on with a blocking read.
         */
        boolean awaitReadable() {
            if (registration == null) return false;
            synchronized (armLock) {
                if (aborted || stopRequested(this)) return false; // the read fails, or the body stops
                state.set(IDLE);
                if (watcher.arm(registration, this::resume)) return true;
                state.set(RUNNING);
                return false;
            }
        }

        private void resume() {
            if (!state.compareAndSet(IDLE, RUNNING)) return; // ended by abort meanwhile
            woken = true;
            run();
        }

        /** Under armLock, before the sockets are closed: disarm a waiting direction. */
        void cancelWait() {
            if (registration != null && state.compareAndSet(IDLE, ENDED)) {
                watcher.cancel(registration);
                cancelled.set(true);
            }
        }

        /** Takes a direction out of its idle wait and lets it run to see why it must stop. */
        void wakeToStop() {
            boolean resume;
            synchronized (armLock) {
                resume = registration != null && !aborted && state.compareAndSet(IDLE, RUNNING);
                if (resume) watcher.cancel(registration);
            }
            if (resume) Thread.ofVirtual().name("jstunnel-" + name + "-" + logContext.id()).start(this::run);
        }

        /** After the sockets are closed: a direction abort took out of its wait ends as aborted. */
        void endIfCancelled() {
            if (!cancelled.compareAndSet(true, false)) return;
            failure.compareAndSet(null, new AsynchronousCloseException());
            Thread.ofVirtual().name("jstunnel-" + name + "-" + logContext.id()).start(() -> {
                Log.setContext(logContext);
                try {
                    ended();
                } finally {
                    Log.clearContext();
                }
            });
        }

        /** Takes the readiness report for the next read. */
        boolean takeWoken() {
            boolean w = woken;
            woken = false;
            return w;
        }
    }

    @FunctionalInterface
    private interface Body {
        /** Runs the direction; true if it now waits for readiness (its thread must end). */
        boolean run(Direction d) throws IOException, OpenSslException;
    }

    private boolean stopRequested(Direction d) {
        return plainDead || (d == up && tlsDead);
    }

    /**
     * The plain socket's peer is gone (a reset, a broken pipe): as stunnel's "writesocket: Socket is
     * closed", nothing more is read from or written to it; the up direction sends close_notify.
     */
    private void plainGone(IOException e) {
        upReader.noteReset(e);
        Log.info("writesocket: Socket is closed");
        plainDead = true;
        up.wakeToStop();
        down.wakeToStop();
    }

    private void ended() {
        if (running.decrementAndGet() == 0) done.accept(failure.get());
    }

    /** TLS peer → plain socket. */
    private boolean tlsToPlain(Direction d) throws IOException, OpenSslException {
        while (true) {
            if (plainDead) return false;
            ByteBuffer buf = d.registration == null ? tls.read(tlsNet) : tls.readIfAvailable(tlsNet, d.takeWoken());
            if (buf == SslConnection.NEED_INPUT) {
                if (d.awaitReadable()) return true;
                if (plainDead) return false;
                buf = tls.read(tlsNet);
            }
            if (buf == SslConnection.CLOSE_NOTIFY) {
                Log.info("TLS closed (SSL_read)");
                break;
            }
            if (buf == SslConnection.EOF) {
                // a FIN: the client is done sending, not reading; the answer still goes to it
                Log.info("TLS socket closed (read hangup)");
                break;
            }
            if (buf == SslConnection.EOF_AFTER_RESET) {
                Log.info("TLS socket closed (SSL_read)");
                tlsDead = true;
                up.wakeToStop();
                break;
            }
            try {
                int n = buf.remaining();
                while (buf.hasRemaining()) plain.write(buf);
                conn.counters.sockBytes += n;
            } catch (IOException e) {
                if (plainDead) return false; // already ended by the up direction
                if (!Errors.peerClosed(e)) throw e;
                plainGone(e);
                return false;
            } finally {
                BufferPool.PLAIN.release(buf);
            }
            conn.touch();
        }
        if (plain.isOpen() && !plainDead) {
            plain.shutdownOutput();
            Log.debug("Sent socket write shutdown");
        }
        return false;
    }

    /** Plain socket → TLS peer. */
    private boolean plainToTls(Direction d) throws IOException, OpenSslException {
        ProbingReader reader = upReader;
        while (true) {
            if (plainDead) break;
            if (tlsDead) {
                conn.plainReadClosed();
                return false; // nothing more can reach the TLS peer
            }
            ByteBuffer buf = d.registration == null ? reader.read(plain, BufferPool.PLAIN)
                : reader.readIfAvailable(plain, BufferPool.PLAIN, d.takeWoken());
            if (buf == ProbingReader.WOULD_BLOCK) {
                if (d.awaitReadable()) return true;
                if (stopRequested(d)) continue;
                buf = reader.read(plain, BufferPool.PLAIN);
            }
            if (buf == null) {
                if (reader.resetSeen() && !plainDead) {
                    // stunnel's poll reports the reset as writable too: its write then says so
                    Log.info("writesocket: Socket is closed");
                    plainDead = true;
                    down.wakeToStop();
                    break;
                }
                Log.info("Read socket closed (readsocket)");
                break;
            }
            try {
                conn.touch();
                int n = buf.remaining();
                tls.write(tlsNet, buf);
                conn.counters.sslBytes += n;
            } catch (IOException | OpenSslException e) {
                tlsWriteFailed(e, buf.remaining());
                return false;
            } finally {
                BufferPool.PLAIN.release(buf);
            }
        }
        conn.plainReadClosed();
        Log.debug("Sending close_notify alert");
        try {
            if (tls.shutdown(tlsNet)) Log.info("SSL_shutdown successfully sent close_notify alert");
        } catch (IOException e) {
            if (!Errors.peerClosed(e)) throw e;
            Log.info("SSL_shutdown: Socket is closed"); // the peer already left: nothing of ours is lost to it
        }
        return false;
    }

    /**
     * stunnel's SSL_write failures: a peer that said close_notify and left ends the connection as
     * closed; a peer that reset or left without it loses what was still to be sent, which stunnel
     * reports at error level and answers with a reset.
     */
    private void tlsWriteFailed(Exception e, int notTaken) throws IOException, OpenSslException {
        if (tls.closeNotifyReceived() && !tls.eofReceived() && e instanceof IOException) {
            Log.info("TLS socket closed (SSL_write)");
            conn.plainReadClosed();
            return;
        }
        boolean gone = tlsDead || (e instanceof IOException io && Errors.peerClosed(io));
        if (!gone) {
            if (e instanceof IOException io) throw io;
            throw (OpenSslException) e;
        }
        if (e instanceof IOException io) tls.noteReset(tlsNet, io);
        int unsent = e instanceof IOException ? tls.unsent() : notTaken;
        Log.err("TLS socket closed (" + (tlsDead ? "SSL_read" : "SSL_write") + ") with " + unsent + " unsent byte(s)");
        throw new Connection.Failed();
    }
}
