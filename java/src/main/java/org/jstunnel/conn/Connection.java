package org.jstunnel.conn;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jstunnel.log.Log;
import org.jstunnel.log.LogContext;
import org.jstunnel.net.Errors;
import org.jstunnel.net.SocketAddresses;
import org.jstunnel.protocol.Negotiation;
import org.jstunnel.protocol.NegotiationFailed;
import org.jstunnel.protocol.Protocol;
import org.jstunnel.protocol.TlsWire;
import org.jstunnel.net.SocketOptions;
import org.jstunnel.ssl.CertificateVerifier;
import org.jstunnel.ssl.OpenSslException;
import org.jstunnel.ssl.SslConnection;

/**
 * One connection, from accept to "Connection closed", in stunnel's order (client.c client_run):
 * server mode handshakes with the client, then starts the remote end; client mode starts the remote
 * end first, then handshakes with it. Then {@link Pump} moves bytes both ways until both are closed.
 *
 * <p>The local end is an accepted socket, inetd mode's stdin/stdout, or (exec+connect) an
 * {@code exec} program; the remote end is a {@code connect} target, a {@code redirect} target, or an
 * {@code exec} program. Each is a {@link PlainEnd}.
 */
public final class Connection implements Runnable {
    enum Phase { SETUP, TRANSFER }

    /** Opens the local end inside the connection: exec+connect starts its program there. */
    @FunctionalInterface
    public interface LocalOpener {
        PlainEnd open() throws IOException;
    }

    private volatile Endpoint endpoint; // an SNI slave replaces its master during the handshake
    private final long seq;
    private final long rr;
    private volatile PlainEnd local;
    private volatile LogContext logContext;
    private volatile PlainEnd remote;
    private volatile SslConnection tls;
    private volatile CertificateVerifier verifier;
    private volatile Phase phase = Phase.SETUP;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean plainReadOpen = true;
    private volatile String timedOut;
    private volatile Pump pump;
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    final Counters counters = new Counters();
    private final ConnectionObserver observer; // the accepting service's, kept when SNI picks a slave
    private volatile boolean handshaking;

    /** An accepted socket. */
    public Connection(Endpoint endpoint, SocketChannel local) {
        this(endpoint, new SocketEnd(local));
    }

    /** Any local end: an accepted socket, or inetd mode's stdin/stdout. */
    public Connection(Endpoint endpoint, PlainEnd local) {
        this.endpoint = endpoint;
        this.local = local;
        this.seq = ConnectionIds.nextSequence(); // stunnel numbers connections when they are accepted
        this.rr = endpoint.nextRoundRobin();
        this.observer = endpoint.observer();
    }

    /** One round of an exec+connect service: {@code id} is given, the local end is opened in {@link #runRound}. */
    Connection(Endpoint endpoint, String id, long rr) {
        this.endpoint = endpoint;
        this.local = null;
        this.seq = -1;
        this.rr = rr;
        this.logContext = new LogContext(id, endpoint.logLevel());
        this.observer = endpoint.observer();
    }

    public String serviceName() { return endpoint.name(); }

    public long sslBytes() { return counters.sslBytes; }

    public long sockBytes() { return counters.sockBytes; }

    /** The log id (known once the connection runs: logId = thread names the running thread). */
    public String id() {
        LogContext c = logContext;
        return c == null ? null : c.id();
    }

    @Override
    public void run() {
        // log.c log_id runs on the connection's own thread (it matters for logId = thread)
        if (logContext == null) logContext = new LogContext(ConnectionIds.of(endpoint.logIdType(), seq), endpoint.logLevel());
        Log.setContext(logContext);
        try {
            Log.debug("Service [" + endpoint.name() + "] started");
            transferAll();
        } finally {
            Log.clearContext();
        }
    }

    /**
     * exec+connect (client.c exec_connect_once): starts the program as the local end, then runs the
     * connection. A program that cannot be started ends the round without a "Connection closed" line.
     */
    void runRound(LocalOpener opener) {
        Log.setContext(logContext);
        try {
            try {
                local = opener.open();
            } catch (IOException e) {
                Log.err(e.getMessage());
                return;
            }
            transferAll();
            awaitFinished(); // the rounds follow one another
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
        } finally {
            Log.clearContext();
        }
    }

    /**
     * client.c client_run. Returns once the transfer has started (an idle connection then holds no
     * thread, see {@link Pump}); {@link #finish} ends the connection when the transfer ends, or at
     * once after a failure before it.
     */
    private void transferAll() {
        observer.opened();
        Watchdog.add(this);
        try {
            InboundProxy proxy = endpoint.inboundProxy();
            if (proxy != null) local = proxy.accept(local); // the balancer says who the client is
            localStart();
            Protocol protocol = endpoint.protocol();
            Negotiation n = protocol == null ? null : negotiation();
            if (protocol != null) protocol.early(n);
            boolean redirect = false;
            if (endpoint.client() || (protocol != null && protocol.connectBeforeTls())) {
                remoteStart(false, n);
                if (protocol != null) protocol.middle(n);
                startTls(endpoint.client() ? remote : local, n);
            } else {
                startTls(local, n);
                redirect = redirected();
                if (protocol != null && !redirect) protocol.middle(n);
                remoteStart(redirect, n);
            }
            if (protocol != null && !redirect) {
                protocol.late(n);
                passLeftover(n, endpoint.client() ? local : remote);
            }
            if (endpoint.client()) transfer(local, remote);
            else transfer(remote, local);
        } catch (OpenSslException | IOException | RuntimeException e) {
            finish(e);
        }
    }

    /** The end of client_run: what failed (null: nothing), the closing, the "Connection closed" line. */
    private void finish(Exception failure) {
        boolean reset = false;
        try {
            if (failure instanceof OpenSslException e) {
                for (String line : e.logLines()) Log.err(line);
                reset = true;
            } else if (failure instanceof EOFException || failure instanceof org.jstunnel.ssl.TlsSocketException) {
                Log.err(failure.getMessage()); // e.g. "SSL_accept: Connection reset by peer (104)"
                reset = true;
            } else if (failure instanceof NegotiationFailed e) {
                reset = e.resetSockets(); // already logged
            } else if (failure instanceof org.jstunnel.net.ConnectFailedException || failure instanceof Failed
                    || failure instanceof org.jstunnel.access.AccessDeniedException) {
                reset = true; // already logged
            } else if (failure instanceof IOException e) {
                if (timedOut == null) Log.err(describe(e));
                reset = true;
            } else if (failure != null) {
                Log.err("INTERNAL ERROR: " + failure);
                reset = true;
            }
        } finally {
            if (timedOut != null && timedOut.equals("TIMEOUTclose")) reset = false;
            // stunnel's reset = yes: after an error both sockets get a RST, except the TLS one after
            // a fatal alert, which is closed gently so the alert reaches the peer
            boolean fatalAlert = tls != null && tls.fatalAlertSeen();
            boolean resetRemote = reset && endpoint.reset() && (!fatalAlert || !endpoint.client());
            boolean resetLocal = reset && endpoint.reset() && (!fatalAlert || endpoint.client());
            closeAll(resetLocal, resetRemote);
            String status = resetRemote && resetLocal ? "reset" : resetRemote ? "reset/closed"
                : resetLocal ? "closed/reset" : "closed";
            Log.notice("Connection " + status + ": " + counters.sslBytes + " byte(s) sent to TLS, "
                + counters.sockBytes + " byte(s) sent to socket");
            Log.debug("Service [" + endpoint.name() + "] finished");
            observer.ended(failure, timedOut, handshaking, counters.sslBytes, counters.sockBytes);
            Watchdog.remove(this);
            finished.countDown();
        }
    }

    /** Waits until the connection has ended ("Connection closed" logged, sockets closed). */
    public void awaitFinished() throws InterruptedException {
        finished.await();
    }

    /** client.c local_start: who connected, if the local end is a socket. */
    private void localStart() throws IOException {
        PlainEnd l = local;
        if (!l.isSocket()) {
            Log.notice("Service [" + endpoint.name() + "] accepted connection");
            return;
        }
        SocketAddress peer = l.peerAddress();
        if (!(peer instanceof java.net.UnixDomainSocketAddress) && l instanceof SocketEnd se
                && !endpoint.socketOptions().apply(se.socket(), SocketOptions.Kind.LOCAL)) {
            Log.warning("Failed to set local socket options");
        }
        endpoint.checkAccess(peer, l.localAddress());
        Log.notice("Service [" + endpoint.name() + "] accepted connection from "
            + (peer == null ? "unknown" : SocketAddresses.format(peer)));
    }

    /** client.c remote_start: a redirect target, the exec program, or a connect target. */
    private void remoteStart(boolean redirect, Negotiation n) throws IOException {
        if (redirect) {
            Log.notice("Redirecting connection");
            remote = new SocketEnd(endpoint.connectRedirect(rr, persistence(), local));
            printBoundAddress();
        } else if (endpoint.execRemote() != null) {
            try {
                remote = endpoint.pty() ? PtyProgram.start(endpoint.execRemote(), environment(), endpoint.stackSize())
                    : LocalProgram.start(endpoint.execRemote(), environment(), endpoint.stackSize());
            } catch (IOException e) {
                Log.err(e.getMessage()); // e.g. "execve: No such file or directory (2)"
                throw new Failed();
            }
        } else if (n != null && n.targets() != null) { // chosen by the negotiation (SOCKS, CONNECT)
            remote = new SocketEnd(endpoint.connectTo(n.targets(), rr));
            printBoundAddress();
        } else {
            remote = new SocketEnd(endpoint.connectRemote(rr, persistence(), local));
            printBoundAddress();
        }
        boolean terminal = endpoint.pty() && endpoint.execRemote() != null && !redirect; // stunnel: not a socket
        if (!terminal && remote instanceof SocketEnd se && !endpoint.socketOptions().apply(se.socket(), SocketOptions.Kind.REMOTE))
            Log.warning("Failed to set remote socket options");
        if (n != null) n.remoteConnected(new ActivityChannel(remote, this));
        touch();
    }

    /** Server mode: the TLS session remembers its connect target (stunnel's persistence). */
    private org.jstunnel.net.Persistence persistence() {
        SslConnection t = tls;
        if (t == null || endpoint.client()) return org.jstunnel.net.Persistence.NONE;
        return new org.jstunnel.net.Persistence() {
            @Override public String resumedAddress() {
                if (!t.sessionReused()) return null;
                String a = t.rememberedConnectAddress();
                return a == null ? "" : a;
            }
            @Override public boolean remember(String address) { return t.rememberConnectAddress(address); }
        };
    }

    /** The protocol negotiation's view of this connection (protocol.c works on the same CLI). */
    private Negotiation negotiation() {
        PlainEnd l = local;
        return new Negotiation(endpoint.protocolSettings(), new ActivityChannel(l, this),
            l.isSocket() ? l.peerAddress() : null, l.isSocket() ? l.localAddress() : null);
    }

    /** Plaintext a negotiation decrypted past its last message goes first to the plain end. */
    private void passLeftover(Negotiation n, PlainEnd plain) throws IOException {
        byte[] rest = n.tlsLeftover();
        if (rest.length == 0) return;
        ByteBuffer b = ByteBuffer.allocateDirect(rest.length).put(rest).flip();
        while (b.hasRemaining()) plain.write(b);
        counters.sockBytes += rest.length;
    }

    private void printBoundAddress() {
        SocketAddress bound = remote.localAddress();
        Log.notice("Service [" + endpoint.name() + "] connected remote server from "
            + (bound == null ? "unknown" : SocketAddresses.format(bound)));
    }

    /** client.c redirect(): a server with redirect targets redirects a client it could not authenticate. */
    private boolean redirected() {
        if (!endpoint.redirects()) return false;
        SslConnection t = tls;
        CertificateVerifier v = verifier;
        if (t == null || t.peerSubject() == null) return true; // no certificate: not authenticated
        if (v != null && v.authenticationFailed()) return true;
        // a resumed session skipped verification, and whether its first handshake authenticated the
        // client is not recorded with the session (stunnel keeps it in the session's ex_data): redirect
        return t.sessionReused();
    }

    /** client.c env_alloc: what the exec program learns about the connection. */
    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        PlainEnd l = local;
        if (l != null && l.peerAddress() instanceof InetSocketAddress peer) {
            env.put("REMOTE_HOST", host(peer));
            env.put("REMOTE_PORT", Integer.toString(peer.getPort()));
        }
        SslConnection t = tls;
        if (t != null) {
            String subject = t.peerSubject();
            if (subject != null) {
                env.put("SSL_CLIENT_DN", subject);
                env.put("SSL_CLIENT_I_DN", t.peerIssuer());
            }
        }
        return env;
    }

    /** getnameinfo(NI_NUMERICHOST): {@code 127.0.0.1}, {@code ::1}. */
    private static String host(InetSocketAddress a) {
        String s = SocketAddresses.format(a);
        return s.substring(0, s.lastIndexOf(':'));
    }

    private void startTls(PlainEnd net, Negotiation n) throws IOException, OpenSslException {
        CertificateVerifier v = new CertificateVerifier(endpoint.tlsSettings(), logContext);
        if (endpoint.redirects()) v.redirectOnFailure();
        verifier = v;
        SslConnection t = endpoint.newTls(v);
        tls = t;
        if (endpoint.client()) {
            String sni = endpoint.sni();
            if (sni != null && !sni.isEmpty()) {
                Log.info("SNI: sending servername: " + sni);
                t.setServerName(sni);
            } else {
                Log.info("SNI: extension disabled");
            }
            // stunnel's per-destination client session cache
            SocketAddress peer = net.peerAddress();
            t.useSessionCache(peer == null ? "" : SocketAddresses.format(peer));
        }
        Log.info(endpoint.requireCert() ? "Peer certificate required" : "Peer certificate not required");
        long started = System.nanoTime();
        handshaking = true;
        var prefetch = endpoint.client() ? null : endpoint.sessionPrefetch();
        t.handshake(new ActivityChannel(prefetch == null ? net : new PrefetchingEnd(net, prefetch), this));
        handshaking = false;
        observer.handshakeDone(t.sessionReused(), System.nanoTime() - started);
        if (t.sniTarget() instanceof Endpoint slave) endpoint = slave; // connect, timeouts, ... of the slave
        Log.info("TLS " + (endpoint.client() ? "connected" : "accepted") + ": "
            + (t.sessionReused() ? "previous session reused" : "new session negotiated"));
        Log.info(t.protocol() + " ciphersuite: " + t.cipher() + " (" + t.cipherBits() + "-bit encryption)");
        if (Log.enabled(org.jstunnel.log.LogLevel.INFO)) { // stunnel's print_cipher is skipped below info too
            String tmpKey = t.peerTmpKey();
            Log.info(tmpKey == null ? "No peer temporary key received" : "Peer temporary key: " + tmpKey);
        }
        if (n != null) n.tlsStarted(new TlsWire(t, new ActivityChannel(net, this)));
    }

    private void transfer(PlainEnd plain, PlainEnd tlsNet) {
        phase = Phase.TRANSFER;
        touch();
        Pump p = new Pump(this, plain, new ActivityChannel(tlsNet, this), tls, this::finish);
        pump = p;
        p.start();
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

    /** Ends the connection's transfer or setup: blocked reads and writes fail, idle waits end. */
    void abort() {
        Pump p = pump;
        if (p != null) p.abort();
        else closeEnds();
    }

    /** Closes both ends (no RST), so every blocked read or write of this connection fails. */
    void closeEnds() {
        closeQuietly(local, false);
        closeQuietly(remote, false);
    }

    private void closeAll(boolean resetLocal, boolean resetRemote) {
        closeQuietly(local, resetLocal);
        closeQuietly(remote, resetRemote);
        SslConnection t = tls;
        if (t != null) t.close();
    }

    private static void closeQuietly(PlainEnd end, boolean reset) {
        if (end != null) end.close(reset);
    }

    private static String describe(IOException e) {
        if (e instanceof ClosedChannelException) return "Connection aborted";
        if (e instanceof org.jstunnel.ssl.TlsAbortException) return e.getMessage(); // e.g. a refused renegotiation
        return "transfer: " + Errors.describe(e);
    }

    /** A failure already logged in stunnel's words: the connection ends with a reset. */
    static final class Failed extends IOException {
        Failed() { super("already logged"); }
    }

    /** Byte counts of stunnel's closing line; each is written by one pump thread only. */
    static final class Counters {
        volatile long sslBytes;
        volatile long sockBytes;
    }
}
