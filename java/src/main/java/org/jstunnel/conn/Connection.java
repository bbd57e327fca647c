package org.jstunnel.conn;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.jstunnel.log.Log;
import org.jstunnel.log.LogContext;
import org.jstunnel.net.Errors;
import org.jstunnel.net.SocketAddresses;
import org.jstunnel.ssl.CertificateVerifier;
import org.jstunnel.ssl.OpenSslException;
import org.jstunnel.ssl.SslConnection;

/**
 * One accepted connection, from accept to "Connection closed", in stunnel's order: server mode
 * handshakes with the client, then connects the backend; client mode connects first, then
 * handshakes with the remote server. Then {@link Pump} moves bytes both ways until both are closed.
 */
public final class Connection implements Runnable {
    enum Phase { SETUP, TRANSFER }

    private final Endpoint endpoint;
    private final SocketChannel local;
    private final LogContext logContext;
    private volatile SocketChannel remote;
    private volatile SslConnection tls;
    private volatile Phase phase = Phase.SETUP;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean plainReadOpen = true;
    private volatile String timedOut;
    final Counters counters = new Counters();

    public Connection(Endpoint endpoint, SocketChannel local) {
        this.endpoint = endpoint;
        this.local = local;
        this.logContext = new LogContext(ConnectionIds.next(), endpoint.logLevel());
    }

    public String serviceName() { return endpoint.name(); }

    public long sslBytes() { return counters.sslBytes; }

    public long sockBytes() { return counters.sockBytes; }

    @Override
    public void run() {
        Log.setContext(logContext);
        Watchdog.add(this);
        boolean reset = false;
        try {
            Log.debug("Service [" + endpoint.name() + "] started");
            Log.notice("Service [" + endpoint.name() + "] accepted connection from " + peerOf(local));
            if (endpoint.client()) {
                connectRemote();
                startTls(remote);
                transfer(local, remote);
            } else {
                startTls(local);
                connectRemote();
                transfer(remote, local);
            }
        } catch (OpenSslException e) {
            for (String line : e.queue()) Log.err(e.call() + ": " + line);
            if (e.queue().isEmpty()) Log.err(e.getMessage());
            reset = true;
        } catch (EOFException e) {
            Log.err((endpoint.client() ? "SSL_connect" : "SSL_accept") + ": Peer suddenly disconnected");
            reset = true;
        } catch (org.jstunnel.net.ConnectFailedException e) {
            reset = true; // already logged target by target
        } catch (IOException e) {
            if (timedOut == null) Log.err(describe(e));
            reset = true;
        } catch (RuntimeException e) {
            Log.err("INTERNAL ERROR: " + e);
            reset = true;
        } finally {
            if (timedOut != null && timedOut.equals("TIMEOUTclose")) reset = false;
            // stunnel's reset = yes: after an error both sockets get a RST, except the TLS one after
            // a fatal alert, which is closed gently so the alert reaches the peer
            boolean fatalAlert = tls != null && tls.fatalAlertSeen();
            boolean resetRemote = reset && (!fatalAlert || !endpoint.client());
            boolean resetLocal = reset && (!fatalAlert || endpoint.client());
            closeAll(resetLocal, resetRemote);
            String status = resetRemote && resetLocal ? "reset" : resetRemote ? "reset/closed"
                : resetLocal ? "closed/reset" : "closed";
            Log.notice("Connection " + status + ": " + counters.sslBytes + " byte(s) sent to TLS, "
                + counters.sockBytes + " byte(s) sent to socket");
            Log.debug("Service [" + endpoint.name() + "] finished");
            Watchdog.remove(this);
            Log.clearContext();
        }
    }

    private void connectRemote() throws IOException {
        remote = endpoint.connectRemote();
        touch();
        Log.notice("Service [" + endpoint.name() + "] connected remote server from "
            + SocketAddresses.format(remote.getLocalAddress()));
    }

    private void startTls(SocketChannel net) throws IOException, OpenSslException {
        SslConnection t = endpoint.newTls(new CertificateVerifier(endpoint.tlsSettings(), logContext));
        tls = t;
        if (endpoint.client()) {
            String sni = endpoint.sni();
            if (sni != null && !sni.isEmpty()) {
                Log.info("SNI: sending servername: " + sni);
                t.setServerName(sni);
            } else {
                Log.info("SNI: extension disabled");
            }
        }
        Log.info(endpoint.tlsSettings().requireCert() ? "Peer certificate required" : "Peer certificate not required");
        t.handshake(new ActivityChannel(net, this));
        Log.info("TLS " + (endpoint.client() ? "connected" : "accepted") + ": "
            + (t.sessionReused() ? "previous session reused" : "new session negotiated"));
        Log.info(t.protocol() + " ciphersuite: " + t.cipher() + " (" + t.cipherBits() + "-bit encryption)");
    }

    private void transfer(SocketChannel plain, SocketChannel tlsNet) throws IOException, OpenSslException {
        phase = Phase.TRANSFER;
        touch();
        new Pump(this, plain, new ActivityChannel(tlsNet, this), tls).run();
    }

    void touch() { lastActivity = System.nanoTime(); }

    void plainReadClosed() { plainReadOpen = false; }

    /** Called by the watchdog each second. */
    void checkTimeout(long now) {
        String which;
        int seconds;
        Timeouts t = endpoint.timeouts();
        if (phase == Phase.SETUP) {
            which = "TIMEOUTbusy";
            seconds = t.busy();
        } else if (plainReadOpen && (tls == null || !tls.closeNotifyReceived())) {
            which = "TIMEOUTidle";
            seconds = t.idle();
        } else {
            which = "TIMEOUTclose";
            seconds = t.close();
        }
        if (now - lastActivity < TimeUnit.SECONDS.toNanos(seconds) || timedOut != null) return;
        timedOut = which;
        LogContext previous = Log.context();
        Log.setContext(logContext);
        if (which.equals("TIMEOUTclose")) {
            Log.info("transfer: s_poll_wait: TIMEOUTclose exceeded: closing");
        } else {
            Log.info((phase == Phase.SETUP ? "ssl_start" : "transfer") + ": s_poll_wait: " + which
                + " exceeded: sending reset");
        }
        Log.setContext(previous);
        abort();
    }

    /** Ends every blocked read or write of this connection by closing its sockets. */
    void abort() {
        closeQuietly(local);
        closeQuietly(remote);
    }

    private void closeAll(boolean resetLocal, boolean resetRemote) {
        if (resetLocal) setLingerZero(local);
        if (resetRemote) setLingerZero(remote);
        closeQuietly(local);
        closeQuietly(remote);
        SslConnection t = tls;
        if (t != null) t.close();
    }

    private static void setLingerZero(SocketChannel ch) {
        if (ch == null || !ch.isOpen()) return;
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST, as stunnel's reset = yes
        } catch (IOException | UnsupportedOperationException ignored) {
            // a Unix socket has no RST; plain close is all there is
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing: nothing left to lose
        }
    }

    private static String peerOf(SocketChannel ch) {
        try {
            return SocketAddresses.format(ch.getRemoteAddress());
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String describe(IOException e) {
        if (e instanceof ClosedChannelException) return "Connection aborted";
        return "transfer: " + Errors.describe(e);
    }

    /** Byte counts of stunnel's closing line; each is written by one pump thread only. */
    static final class Counters {
        volatile long sslBytes;
        volatile long sockBytes;
    }
}
