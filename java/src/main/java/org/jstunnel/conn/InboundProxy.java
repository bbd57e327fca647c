package org.jstunnel.conn;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jstunnel.log.Log;
import org.jstunnel.net.ProxyHeader;
import org.jstunnel.net.SocketAddresses;
import org.jstunnel.net.TrustedSources;

/**
 * {@code acceptProxy}/{@code acceptProxyFrom} (issue 14): a balancer in front of jstunnel tells who
 * the client is with a PROXY protocol header. It is read before anything else, only from trusted
 * addresses and within {@link #TIMEOUT_MS}; the connection then knows its ends by the header's
 * addresses (log lines, exec's environment, an outbound PROXY header).
 */
public final class InboundProxy {
    static final long TIMEOUT_MS = 3000;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("jstunnel-proxy-timeout").factory());

    private final boolean v1, v2;
    private final TrustedSources trusted;

    /** @param mode v1, v2 or any */
    public InboundProxy(String mode, TrustedSources trusted) {
        this.v1 = !mode.equals("v2");
        this.v2 = !mode.equals("v1");
        this.trusted = trusted;
    }

    /** The accepted socket, known by the header's addresses (the same end for LOCAL/UNKNOWN). */
    PlainEnd accept(PlainEnd end) throws IOException {
        if (!(end instanceof SocketEnd s)) return end; // inetd mode's pipes carry no header
        SocketAddress peer = s.peerAddress();
        if (!(peer instanceof InetSocketAddress p) || !trusted.contains(p.getAddress())) {
            Log.err("PROXY header refused from " + (peer == null ? "unknown" : SocketAddresses.format(peer))
                + ": not an acceptProxyFrom address");
            throw new Connection.Failed();
        }
        AtomicBoolean expired = new AtomicBoolean();
        // a blocked read ends when its socket is closed
        ScheduledFuture<?> timer = TIMER.schedule(() -> {
            expired.set(true);
            s.close(false);
        }, TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ProxyHeader.Addresses a;
        try {
            a = ProxyHeader.read(s.socket(), v1, v2);
            // the timer may have closed the socket just as the header completed
            if (!timer.cancel(false) && expired.get()) throw new java.nio.channels.ClosedChannelException();
        } catch (ProxyHeader.BadHeaderException e) {
            Log.err("PROXY header from " + SocketAddresses.format(peer) + ": " + e.getMessage());
            throw new Connection.Failed();
        } catch (IOException e) {
            Log.err("PROXY header from " + SocketAddresses.format(peer) + ": "
                + (expired.get() ? "not received within " + TIMEOUT_MS / 1000 + " s"
                    : e instanceof EOFException ? e.getMessage() : org.jstunnel.net.Errors.describe(e)));
            throw new Connection.Failed();
        } finally {
            timer.cancel(false);
        }
        if (a == null) {
            Log.info("PROXY header from " + SocketAddresses.format(peer) + ": local or unknown, addresses kept");
            return end;
        }
        Log.info("PROXY header from " + SocketAddresses.format(peer) + ": client " + SocketAddresses.format(a.source())
            + ", destination " + SocketAddresses.format(a.destination()));
        return new SocketEnd(s.socket(), a.source(), a.destination());
    }
}
