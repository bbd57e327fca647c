package org.jstunnel.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jstunnel.config.Address;
import org.jstunnel.log.Log;

/**
 * Outgoing connections of a service: every {@code connect} target and every address each resolves
 * to, tried in order ({@code failover = prio}) or starting one further each time ({@code rr}).
 */
public final class Connector {
    private final List<SocketAddress> targets;
    private final boolean roundRobin;
    private final int timeoutMillis;
    private final InetSocketAddress local;
    private final AtomicInteger next = new AtomicInteger();

    public Connector(List<Address> connect, boolean roundRobin, int timeoutSeconds, Address local) throws IOException {
        List<SocketAddress> all = new ArrayList<>();
        for (Address a : connect) all.addAll(SocketAddresses.resolve(a));
        this.targets = List.copyOf(all);
        this.roundRobin = roundRobin;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeoutSeconds * 1000L);
        this.local = local == null ? null : new InetSocketAddress(local.host(), 0);
    }

    /** Connects to the first target that answers; logs as stunnel's s_connect does. */
    public SocketChannel connect() throws IOException {
        int n = targets.size();
        int start = roundRobin ? Math.floorMod(next.getAndIncrement(), n) : 0;
        IOException last = null;
        for (int i = 0; i < n; i++) {
            SocketAddress target = targets.get((start + i) % n);
            String name = SocketAddresses.format(target);
            Log.info("s_connect: connecting " + name);
            try {
                SocketChannel ch = open(target);
                Log.notice("s_connect: connected " + name);
                return ch;
            } catch (IOException e) {
                Log.err("s_connect: connect " + name + ": " + Errors.describe(e));
                last = e;
            }
        }
        Log.err("No more addresses to connect");
        throw new ConnectFailedException(last);
    }

    private SocketChannel open(SocketAddress target) throws IOException {
        if (target instanceof UnixDomainSocketAddress) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(target);
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
        SocketChannel ch = SocketChannel.open();
        try {
            if (local != null) ch.bind(local);
            // the socket adaptor's connect is the one with a timeout (TIMEOUTconnect)
            ch.socket().connect(target, timeoutMillis);
            ch.socket().setTcpNoDelay(true);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
