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
    private final Connector connector;
    private final Timeouts timeouts;
    private final int logLevel;
    private volatile Listener listener;
    private volatile Thread acceptor;

    private Service(ServiceOptions options, TlsSettings tls, SslContext context, Connector connector) {
        this.options = options;
        this.tls = tls;
        this.context = context;
        this.connector = connector;
        this.timeouts = new Timeouts(options.integer("TIMEOUTbusy"), options.integer("TIMEOUTclose"),
            options.integer("TIMEOUTconnect"), options.integer("TIMEOUTidle"));
        this.logLevel = options.logLevel();
    }

    /** Builds the TLS context and resolves the targets; a failure is a configuration failure. */
    public static Service create(ServiceOptions options) throws ServiceException {
        TlsSettings tls = TlsSettingsReader.read(options);
        SslContext ctx;
        try {
            ctx = SslContext.create(tls);
        } catch (OpenSslException e) {
            throw new ServiceException("Service [" + options.name() + "]: " + e.call() + " failed", e.queue());
        } catch (TlsConfigException e) {
            throw new ServiceException("Service [" + options.name() + "]: " + e.getMessage(), java.util.List.of());
        }
        try {
            Connector connector = new Connector(options.connect(), "rr".equalsIgnoreCase(options.string("failover")),
                options.integer("TIMEOUTconnect"),
                options.local());
            return new Service(options, tls, ctx, connector);
        } catch (IOException e) {
            ctx.close();
            throw new ServiceException("Service [" + options.name() + "]: Error resolving: " + Errors.describe(e),
                java.util.List.of());
        }
    }

    public ServiceOptions options() { return options; }

    public Listener listener() { return listener; }

    /** Binds the {@code accept} address. */
    public void bind() throws IOException {
        listener = Listener.bind(options.name(), options.accept().get(0));
    }

    /** Starts the accept loop on its own virtual thread. */
    public void startAccepting() {
        Listener l = listener;
        acceptor = Thread.ofVirtual().name("jstunnel-accept-" + options.name()).start(() -> acceptLoop(l));
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
            try {
                if (ch.getLocalAddress() instanceof java.net.InetSocketAddress) ch.socket().setTcpNoDelay(true);
            } catch (IOException ignored) {
                // the connection is already gone; Connection will find out and log it
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

    /** Stops accepting; established connections continue with their own references. */
    public void unbind() {
        Listener l = listener;
        if (l != null) l.close();
        Thread a = acceptor;
        if (a != null) {
            try {
                a.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Unbinds and lets go of the SSL_CTX (freed when its last connection closes). */
    public void stop() {
        unbind();
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

    @Override
    public SocketChannel connectRemote() throws IOException {
        return connector.connect();
    }
}
