package org.jstunnel.conn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicReference;
import org.jstunnel.io.BufferPool;
import org.jstunnel.io.ProbingReader;
import org.jstunnel.log.Log;
import org.jstunnel.ssl.OpenSslException;
import org.jstunnel.ssl.SslConnection;

/**
 * Moves bytes both ways between the plain socket and the TLS connection, one virtual thread per
 * direction, with stunnel's half-close: plain EOF → close_notify to the TLS peer; close_notify (or
 * EOF) from the TLS peer → shutdown(SHUT_WR) of the plain socket. Ends when both directions ended.
 * The first failure aborts both directions (their sockets are closed) and is rethrown.
 */
final class Pump {
    private final Connection conn;
    private final PlainEnd plain;
    private final ActivityChannel tlsNet;
    private final SslConnection tls;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    Pump(Connection conn, PlainEnd plain, ActivityChannel tlsNet, SslConnection tls) {
        this.conn = conn;
        this.plain = plain;
        this.tlsNet = tlsNet;
        this.tls = tls;
    }

    void run() throws IOException, OpenSslException {
        var ctx = Log.context();
        Thread up = Thread.ofVirtual().name("jstunnel-up-" + ctx.id()).start(() -> {
            Log.setContext(ctx);
            guarded(this::plainToTls);
        });
        guarded(this::tlsToPlain);
        try {
            up.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            conn.abort();
        }
        Exception e = failure.get();
        if (e instanceof IOException io) throw io;
        if (e instanceof OpenSslException ssl) throw ssl;
        if (e instanceof RuntimeException re) throw re;
    }

    private interface Direction { void run() throws IOException, OpenSslException; }

    private void guarded(Direction d) {
        try {
            d.run();
        } catch (IOException | OpenSslException | RuntimeException e) {
            // the other direction's failure closed our socket: report the cause, not the echo
            boolean echo = e instanceof ClosedChannelException && failure.get() != null;
            if (!echo) failure.compareAndSet(null, e);
            conn.abort();
        }
    }

    /** TLS peer → plain socket. */
    private void tlsToPlain() throws IOException, OpenSslException {
        while (true) {
            ByteBuffer buf = tls.read(tlsNet);
            if (buf == SslConnection.CLOSE_NOTIFY) {
                Log.info("TLS closed (SSL_read)");
                break;
            }
            if (buf == SslConnection.EOF) {
                Log.info("TLS socket closed (SSL_read)");
                break;
            }
            try {
                int n = buf.remaining();
                while (buf.hasRemaining()) plain.write(buf);
                conn.counters.sockBytes += n;
            } finally {
                BufferPool.PLAIN.release(buf);
            }
            conn.touch();
        }
        if (plain.isOpen()) {
            plain.shutdownOutput();
            Log.debug("Write socket closed (TLS close)");
        }
    }

    /** Plain socket → TLS peer. */
    private void plainToTls() throws IOException, OpenSslException {
        ProbingReader reader = new ProbingReader(org.jstunnel.io.SocketBacked.of(plain));
        while (true) {
            ByteBuffer buf = reader.read(plain, BufferPool.PLAIN);
            if (buf == null) break;
            try {
                conn.touch();
                int n = buf.remaining();
                tls.write(tlsNet, buf);
                conn.counters.sslBytes += n;
            } catch (IOException e) {
                // the peer said close_notify and went away: what it no longer reads is not lost to it,
                // and stunnel ends such a connection as "closed", not "reset"
                if (!tls.closeNotifyReceived()) throw e;
                Log.info("TLS socket closed (SSL_write)");
                conn.plainReadClosed();
                return;
            } finally {
                BufferPool.PLAIN.release(buf);
            }
        }
        conn.plainReadClosed();
        Log.info("Read socket closed (readsocket)");
        try {
            if (tls.shutdown(tlsNet)) Log.info("SSL_shutdown successfully sent close_notify alert");
        } catch (IOException e) {
            // the peer already closed both ways: nothing of ours is left unsent
            if (!tls.closeNotifyReceived()) throw e;
        }
    }
}
