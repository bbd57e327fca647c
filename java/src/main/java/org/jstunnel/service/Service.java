package org.jstunnel.service;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import org.jstunnel.config.ServiceOptions;
import org.jstunnel.conn.Connection;
import org.jstunnel.conn.Endpoint;
import org.jstunnel.conn.Timeouts;
import org.jstunnel.log.Log;
import org.jstunnel.net.Connector;
import org.jstunnel.net.Errors;
import org.jstunnel.net.Listener;
import org.jstunnel.ssl.CertificateVerifier;
import org.jstunnel.ssl.OpenSslException;
import org.jstunnel.ssl.SslConnection;
import org.jstunnel.ssl.SslContext;
import org.jstunnel.ssl.TlsConfigException;
import org.jstunnel.ssl.TlsSettings;

/** One {@code [section]}: its SSL_CTX, its connect targets, its listener and accept loop. */
public final class Service implements Endpoint {
    private final ServiceOptions options;
    private final TlsSettings tls;
    private final SslContext context;
    private final Connector connector;   // null: exec is the remote end
    private final Targets targets;
    private final java.util.concurrent.atomic.AtomicLong roundRobin = new java.util.concurrent.atomic.AtomicLong();
    private volatile org.jstunnel.conn.ExecConnectLoop execConnect;
    private final Timeouts timeouts;
    private final int logLevel;
    private volatile java.util.List<Listener> listeners = java.util.List.of();
    private volatile java.util.List<Thread> acceptors = java.util.List.of();
    private final org.jstunnel.protocol.Protocol protocol; // null: none
    private final org.jstunnel.protocol.ProtocolSettings protocolSettings;
    private final org.jstunnel.net.SocketOptions socketOptions;
    private final org.jstunnel.access.Libwrap libwrap;  // null: libwrap = no
    private final org.jstunnel.access.Ident ident;      // null: no ident
    private final org.jstunnel.sessiond.SessiondClient sessiond; // null: no sessiond
    private final org.jstunnel.conn.InboundProxy inboundProxy; // acceptProxy (issue 14); null: none

    private Service(ServiceOptions options, TlsSettings tls, SslContext context, Targets targets,
                    org.jstunnel.sessiond.SessiondClient sessiond) {
        this.sessiond = sessiond;
        this.options = options;
        this.tls = tls;
        this.context = context;
        this.targets = targets;
        this.connector = targets.connect();
        this.timeouts = new Timeouts(options.integer("TIMEOUTbusy"), options.integer("TIMEOUTclose"),
            options.integer("TIMEOUTconnect"), options.integer("TIMEOUTidle"));
        this.logLevel = options.logLevel();
        this.protocol = org.jstunnel.protocol.Protocols.of(options.string("protocol"), tls.client());
        this.protocolSettings = new org.jstunnel.protocol.ProtocolSettings(options.string("protocolHost"),
            options.string("protocolUsername"), options.string("protocolPassword"),
            options.string("protocolAuthentication"), options.string("protocolDomain"),
            options.strings("protocolHeader"), options.integer("TIMEOUTconnect"));
        this.socketOptions = org.jstunnel.net.SocketOptions.parse(options.strings("socket"));
        this.libwrap = options.bool("libwrap")
            ? new org.jstunnel.access.Libwrap(org.jstunnel.access.HostsAccess.system()) : null;
        this.ident = options.string("ident") == null ? null
            : new org.jstunnel.access.Ident(options.string("ident"), timeouts.connect(), timeouts.busy());
        this.inboundProxy = InboundProxyReader.read(options);
    }

    /** Builds the TLS context and resolves the targets; a failure is a configuration failure. */
    public static Service create(ServiceOptions options) throws ServiceException {
        TlsSettings tls = TlsSettingsReader.read(options);
        SslContext ctx;
        try {
            ctx = SslContext.create(tls, TlsExtrasReader.read(options));
        } catch (OpenSslException e) {
            // stunnel: the OpenSSL error lines, then this
            throw new ServiceException("Service [" + options.name() + "]: Failed to initialize TLS context",
                e.logLines());
        } catch (TlsConfigException e) {
            throw new ServiceException("Service [" + options.name() + "]: " + e.getMessage(), java.util.List.of());
        }
        org.jstunnel.sessiond.SessiondClient sessiond = null;
        if (options.string("sessiond") != null) {
            org.jstunnel.config.Address a = org.jstunnel.config.Address.parse(options.string("sessiond"),
                org.jstunnel.config.Address.LOCALHOST);
            try {
                sessiond = org.jstunnel.sessiond.SessiondClient.start(
                    new java.net.InetSocketAddress(a.host(), a.port()), ctx.nativeHandle());
            } catch (IOException | OpenSslException e) {
                ctx.close();
                throw new ServiceException("Service [" + options.name() + "]: sessiond: " + e.getMessage(), java.util.List.of());
            }
        }
        try {
            InboundProxyReader.check(options);
            if (!tls.client() && options.isSet("ticketKeyFile")) // issue 14: the shared ticket key ring
                TicketKeyWatch.start(options.name(), options.string("ticketKeyFile"), ctx);
            return new Service(options, tls, ctx, Targets.of(options), sessiond);
        } catch (ServiceException | RuntimeException e) {
            TicketKeyWatch.stop(ctx);
            if (sessiond != null) sessiond.close();
            ctx.close();
            throw e;
        }
    }

    public ServiceOptions options() { return options; }

    /** The service's TLS context (SNI wiring). */
    SslContext sslContext() { return context; }

    /** The first bound listener, or null. */
    public Listener listener() { return listeners.isEmpty() ? null : listeners.get(0); }

    /**
     * Binds every address of every {@code accept} line, as stunnel's bind_ports: an address that
     * cannot be bound is logged and skipped; the service fails only when none is bound.
     */
    public void bind() throws IOException {
        if (options.accept().isEmpty()) return; // an SNI slave: its master accepts for it
        Log.debug("Binding service [" + options.name() + "]");
        java.util.List<Listener> bound = new java.util.ArrayList<>();
        IOException last = null;
        for (org.jstunnel.config.Address a : options.accept()) {
            java.util.List<java.net.SocketAddress> addrs;
            try {
                addrs = Listener.addresses(a);
            } catch (IOException e) {
                Log.err("Service [" + options.name() + "]: " + a + ": " + Errors.describe(e));
                last = e;
                continue;
            }
            for (java.net.SocketAddress sa : addrs) {
                try {
                    Listener l = Listener.bind(options.name(), sa, socketOptions, options.bool("reusePort"));
                    UnixSocketOwner.apply(l, options);
                    bound.add(l);
                } catch (IOException e) {
                    last = e; // logged by Listener.bind
                }
            }
        }
        if (bound.isEmpty()) {
            Log.err("Binding service [" + options.name() + "] failed");
            throw last != null ? last : new IOException("Binding service [" + options.name() + "] failed");
        }
        listeners = java.util.List.copyOf(bound);
    }

    /** Starts the accept loop on its own virtual thread; an exec+connect service starts its program. */
    public void startAccepting() {
        if (targets.execConnect()) {
            String retry = options.string("retry"); // "no" or milliseconds (stunnel 5.75)
            execConnect = new org.jstunnel.conn.ExecConnectLoop(this, targets.exec(),
                "no".equals(retry) ? -1 : Long.parseLong(retry));
            execConnect.start();
            return;
        }
        java.util.List<Thread> started = new java.util.ArrayList<>();
        for (Listener l : listeners) { // none: an SNI slave
            started.add(Thread.ofVirtual().name("jstunnel-accept-" + options.name()).start(() -> acceptLoop(l)));
        }
        acceptors = java.util.List.copyOf(started);
    }

    private void acceptLoop(Listener l) {
        while (true) {
            SocketChannel ch;
            try {
                ch = l.channel().accept();
            } catch (ClosedChannelException e) {
                return; // unbound by reload or shutdown
            } catch (IOException e) {
                Log.err("Service [" + options.name() + "]: accept: " + Errors.describe(e));
                // e.g. EMFILE: stunnel suspends accepting for a second rather than spinning
                Log.err("Accepting new connections suspended for 1 second");
                sleepQuietly(1000);
                continue;
            }
            Thread.ofVirtual().name("jstunnel-conn").start(new Connection(this, ch));
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting (an exec+connect service: starting new rounds); established connections continue. */
    public void unbind() {
        org.jstunnel.conn.ExecConnectLoop loop = execConnect;
        if (loop != null) loop.stop();
        for (Listener l : listeners) l.close();
        listeners = java.util.List.of();
        for (Thread a : acceptors) {
            try {
                a.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        acceptors = java.util.List.of();
    }

    /** Unbinds and lets go of the SSL_CTX (freed when its last connection closes). */
    public void stop() {
        unbind();
        if (sessiond != null) sessiond.close();
        TicketKeyWatch.stop(context);
        context.close();
    }

    // ---- Endpoint

    @Override public String name() { return options.name(); }
    @Override public boolean client() { return tls.client(); }
    @Override public Timeouts timeouts() { return timeouts; }
    @Override public int logLevel() { return logLevel; }
    @Override public String sni() { return tls.sni(); }
    @Override public TlsSettings tlsSettings() { return tls; }

    @Override
    public SslConnection newTls(CertificateVerifier verifier) throws OpenSslException {
        return context.newConnection(verifier);
    }

    @Override public boolean requireCert() { return options.bool("requireCert"); }
    @Override public String logIdType() { return options.string("logId"); }
    @Override public boolean reset() { return options.bool("reset"); }
    @Override public org.jstunnel.protocol.Protocol protocol() { return protocol; }
    @Override public org.jstunnel.protocol.ProtocolSettings protocolSettings() { return protocolSettings; }
    @Override public org.jstunnel.conn.InboundProxy inboundProxy() { return inboundProxy; }
    @Override public long nextRoundRobin() { return roundRobin.getAndIncrement(); }
    @Override public org.jstunnel.conn.ExecSpec execRemote() { return targets.execConnect() ? null : targets.exec(); }
    @Override public org.jstunnel.net.SocketOptions socketOptions() { return socketOptions; }
    @Override
    public void checkAccess(java.net.SocketAddress peer, java.net.SocketAddress local) throws IOException {
        if (libwrap != null) libwrap.check(name(), peer, local);
        if (ident != null) ident.check(peer, local);
    }

    @Override
    public java.util.function.Consumer<java.nio.ByteBuffer> sessionPrefetch() {
        return sessiond == null ? null : sessiond::prefetch;
    }

    @Override public boolean pty() { return options.bool("pty"); }
    @Override public long stackSize() { return options.integer("stack"); }
    @Override public boolean redirects() { return targets.redirect() != null; }

    @Override
    public SocketChannel connectRemote(long rr, org.jstunnel.net.Persistence persistence) throws IOException {
        return connector.connect(rr, persistence);
    }

    /**
     * {@code transparent}: source binds the client's address (IP_TRANSPARENT), destination connects
     * to the address the client asked for before a REDIRECT (SO_ORIGINAL_DST) instead of {@code connect}.
     */
    @Override
    public SocketChannel connectRemote(long rr, org.jstunnel.net.Persistence persistence,
                                       org.jstunnel.conn.PlainEnd client) throws IOException {
        String mode = options.string("transparent");
        boolean source = mode.equals("source") || mode.equals("both");
        boolean destination = mode.equals("destination") || mode.equals("both");
        if (!source && !destination) return connectRemote(rr, persistence);
        SocketChannel cs = transparentSocket(client, source);
        java.net.InetSocketAddress from = source && cs.getRemoteAddress() instanceof java.net.InetSocketAddress a ? a : null;
        Connector c = connector;
        if (destination) {
            java.net.SocketAddress original = org.jstunnel.net.Transparent.originalDestination(cs);
            c = new Connector(java.util.List.of(), java.util.List.of(original), false, timeouts.connect(), options.local());
        }
        return c.connect(rr, persistence, from);
    }

    /** The client's socket; a local end that is not one fails the connection, as stunnel. */
    private static SocketChannel transparentSocket(org.jstunnel.conn.PlainEnd client, boolean source) throws IOException {
        SocketChannel cs = org.jstunnel.io.SocketBacked.of(client);
        if (cs == null) {
            Log.err(source ? "Transparent source needs a socket" : "getsockopt SO_ORIGINAL_DST: Socket operation on non-socket (88)");
            throw new org.jstunnel.net.ConnectFailedException(null);
        }
        return cs;
    }

    /** {@code transparent = source} binds the client's address for redirect targets too (stunnel's bind_addr). */
    @Override
    public SocketChannel connectRedirect(long rr, org.jstunnel.net.Persistence persistence,
                                         org.jstunnel.conn.PlainEnd client) throws IOException {
        String mode = options.string("transparent");
        if (!mode.equals("source") && !mode.equals("both")) return connectRedirect(rr, persistence);
        SocketChannel cs = transparentSocket(client, true);
        java.net.InetSocketAddress from = cs.getRemoteAddress() instanceof java.net.InetSocketAddress a ? a : null;
        return targets.redirect().connect(rr, persistence, from);
    }

    @Override
    public org.jstunnel.conn.ConnectionObserver observer() {
        return org.jstunnel.metrics.Metrics.service(options.name());
    }

    @Override
    public SocketChannel connectRedirect(long rr, org.jstunnel.net.Persistence persistence) throws IOException {
        return targets.redirect().connect(rr, persistence);
    }

    @Override
    public SocketChannel connectTo(java.util.List<java.net.SocketAddress> addresses, long rr) throws IOException {
        return new Connector(java.util.List.of(), addresses, false, timeouts.connect(), options.local())
            .connect(rr, org.jstunnel.net.Persistence.NONE);
    }
}
