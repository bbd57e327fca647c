package org.jstunnel.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import org.jstunnel.config.Address;
import org.jstunnel.log.Log;

/** A bound listening socket of one service. */
public final class Listener implements AutoCloseable {
    private final ServerSocketChannel channel;
    private final SocketAddress bound;
    private final boolean fromSystemd; // its socket file is systemd's: never unlinked here

    private Listener(ServerSocketChannel channel, SocketAddress bound, boolean fromSystemd) {
        this.channel = channel;
        this.bound = bound;
        this.fromSystemd = fromSystemd;
    }

    /** Binds every address {@code accept} resolves to; see {@link #bind(String, SocketAddress)}. */
    public static java.util.List<SocketAddress> addresses(Address accept) throws IOException {
        return SocketAddresses.resolve(accept);
    }

    /** Binds with stunnel's default accept socket options (SO_REUSEADDR); see {@link #bind(String, SocketAddress, SocketOptions)}. */
    public static Listener bind(String service, SocketAddress want) throws IOException {
        return bind(service, want, SocketOptions.defaults());
    }

    /**
     * Binds as stunnel's bind_port: the {@code a:} socket options, bind, backlog SOMAXCONN; logs the
     * bound address; a failure is logged in stunnel's words ({@code Binding service [x] to ADDR:
     * Address already in use (98)}) and thrown. An IPv4 address gets an AF_INET socket (as stunnel),
     * so IP-level options apply.
     */
    public static Listener bind(String service, SocketAddress want, SocketOptions options) throws IOException {
        return bind(service, want, options, false);
    }

    /** As {@link #bind(String, SocketAddress, SocketOptions)}; {@code reusePort} (issue 14) also sets SO_REUSEPORT. */
    public static Listener bind(String service, SocketAddress want, SocketOptions options, boolean reusePort)
            throws IOException {
        ServerSocketChannel passed = SocketActivation.take(want);
        if (passed != null) {
            SocketAddress bound = passed.getLocalAddress();
            Log.info("Service [" + service + "]: listening socket passed by systemd");
            Log.info("Service [" + service + "] (FD=" + Fds.of(passed) + ") bound to " + SocketAddresses.format(bound));
            return new Listener(passed, bound, true);
        }
        ServerSocketChannel ch = want instanceof UnixDomainSocketAddress
            ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
            : ServerSocketChannel.open(SocketAddresses.family(want));
        try {
            if (want instanceof UnixDomainSocketAddress u) {
                Files.deleteIfExists(u.getPath()); // stunnel unlinks a stale socket file too
            } else if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true); // a new process may bind it too (issue 14)
            }
            if (!options.apply(ch, SocketOptions.Kind.ACCEPT)) throw new SocketOptionException();
            ch.bind(want, 0); // 0: the platform's SOMAXCONN
        } catch (SocketOptionException e) {
            ch.close(); // already logged, as stunnel: no "Binding service" line
            throw e;
        } catch (IOException e) {
            ch.close();
            Log.notice("Binding service [" + service + "] to " + SocketAddresses.format(want) + ": " + Errors.describe(e));
            throw e;
        }
        SocketAddress bound = ch.getLocalAddress();
        Log.info("Service [" + service + "] (FD=" + Fds.of(ch) + ") bound to " + SocketAddresses.format(bound));
        return new Listener(ch, bound, false);
    }

    /** An accept socket option could not be set (logged). */
    public static final class SocketOptionException extends IOException {
        SocketOptionException() { super("Failed to set accept socket options"); }
    }

    public ServerSocketChannel channel() { return channel; }

    public SocketAddress boundAddress() { return bound; }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a listener cannot lose data
        }
        if (bound instanceof UnixDomainSocketAddress u && !fromSystemd) {
            try { Files.deleteIfExists(u.getPath()); } catch (IOException ignored) { /* best effort */ }
        }
    }
}
