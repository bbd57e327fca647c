package org.jstunnel.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.List;
import org.jstunnel.config.Address;
import org.jstunnel.log.Log;

/**
 * Outgoing connections of a service, as stunnel's connect_remote: every {@code connect} (or
 * {@code redirect}) target and every address each resolves to, tried in order from a starting entry:
 * entry #0 ({@code failover = prio}) or, for {@code failover = rr}, one further for each connection
 * from a random first entry. With the delayed resolver ({@code delay = yes}, or a target that did
 * not resolve at startup) the names are resolved again for every connection.
 */
public final class Connector {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Address> names;
    private final List<SocketAddress> resolved; // null: delayed resolver
    private final int start;                    // stunnel's addr_list->start: random first rr entry
    private final boolean roundRobin;
    private final int timeoutMillis;
    private final InetSocketAddress local;

    /**
     * @param resolved the addresses resolved at startup, or null for the delayed resolver
     * @param local the {@code local} source address (port 0), or null
     */
    public Connector(List<Address> names, List<SocketAddress> resolved, boolean roundRobin, int timeoutSeconds,
                     Address local) {
        this.names = List.copyOf(names);
        this.resolved = resolved == null ? null : List.copyOf(resolved);
        this.start = resolved == null ? 0 : randomStart(resolved.size());
        this.roundRobin = roundRobin;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeoutSeconds * 1000L);
        this.local = local == null ? null : new InetSocketAddress(local.host(), 0);
    }

    public boolean delayed() { return resolved == null; }

    /** resolver.c addrlist_resolve: "randomize the initial value of round-robin counter". */
    private static int randomStart(int n) {
        return n < 2 ? 0 : RANDOM.nextInt(n);
    }

    /**
     * Connects to the first target that answers, logging as stunnel's connect_remote and s_connect.
     * @param rr the connection's round-robin sequence number (stunnel's c->rr)
     * @throws ConnectFailedException when nothing resolved or every target failed (already logged)
     */
    public SocketChannel connect(long rr) throws IOException {
        return connect(rr, Persistence.NONE);
    }

    /** As {@link #connect(long)}, starting where a resumed session's connection went, and remembering it. */
    public SocketChannel connect(long rr, Persistence persistence) throws IOException {
        return connect(rr, persistence, null);
    }

    /**
     * As {@link #connect(long, Persistence)}; {@code transparentSource} (transparent = source: the
     * client's address) is bound with IP_TRANSPARENT unless {@code local} is set, which comes first
     * as in stunnel.
     */
    public SocketChannel connect(long rr, Persistence persistence, InetSocketAddress transparentSource) throws IOException {
        InetSocketAddress bindTo = local != null ? local : transparentSource;
        boolean transparent = local == null && transparentSource != null;
        List<SocketAddress> targets = resolved;
        int base = start;
        if (targets == null) {
            targets = Resolver.resolveAll(names);
            base = randomStart(targets.size());
        }
        int n = targets.size();
        if (n == 0) {
            Log.err("No remote host resolved");
            throw new ConnectFailedException(null);
        }
        int first = 0;
        int kept = n > 1 ? persistedIndex(targets, persistence) : -1;
        if (kept >= 0) {
            first = kept;
        } else if (n > 1) {
            if (roundRobin) {
                first = (int) Math.floorMod(base + rr, (long) n);
                Log.info("failover: round-robin, starting at entry #" + first);
            } else {
                Log.info("failover: priority, starting at entry #0");
            }
        }
        IOException last = null;
        for (int i = 0; i < n; i++) {
            SocketAddress target = targets.get((first + i) % n);
            if (bindTo != null && !sameFamily(bindTo, target)) {
                Log.debug("Cannot assign an AF=" + family(bindTo) + " address an AF=" + family(target) + " socket");
                continue;
            }
            try {
                SocketChannel ch = open(target, bindTo, transparent);
                if (ch != null) {
                    String text = SocketAddresses.format(target);
                    if (persistence.remember(text)) Log.info("persistence: " + text + " cached");
                    return ch;
                }
            } catch (IOException e) {
                last = e;
            }
        }
        Log.err("No more addresses to connect");
        throw new ConnectFailedException(last);
    }

    /** The target a resumed session used before (logged as stunnel does), or -1. */
    private static int persistedIndex(List<SocketAddress> targets, Persistence persistence) {
        String kept = persistence.resumedAddress();
        if (kept == null) return -1;
        if (kept.isEmpty()) {
            Log.notice("persistence: No cached address found");
            return -1;
        }
        for (int i = 0; i < targets.size(); i++) {
            if (SocketAddresses.format(targets.get(i)).equals(kept)) {
                Log.info("persistence: " + kept + " reused");
                return i;
            }
        }
        Log.info("persistence: " + kept + " not available");
        return -1;
    }

    /** One target; null if binding {@code local} failed (logged, try the next one). */
    private SocketChannel open(SocketAddress target, InetSocketAddress bindTo, boolean transparent) throws IOException {
        if (target instanceof UnixDomainSocketAddress) {
            String name = SocketAddresses.format(target);
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            Log.info("s_connect: connecting " + name);
            try {
                ch.connect(target);
                Log.notice("s_connect: connected " + name);
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                if (e instanceof IOException io) Log.err("s_connect: connect " + name + ": " + Errors.describe(io));
                throw e;
            }
        }
        SocketChannel ch = SocketChannel.open(SocketAddresses.family(target)); // AF_INET for IPv4, as stunnel
        try {
            if (bindTo != null && !bind(ch, bindTo, transparent)) {
                ch.close();
                return null;
            }
            String name = SocketAddresses.format(target);
            Log.info("s_connect: connecting " + name);
            try {
                // the socket adaptor's connect is the one with a timeout (TIMEOUTconnect)
                ch.socket().connect(target, timeoutMillis);
            } catch (IOException e) {
                Log.err("s_connect: connect " + name + ": " + Errors.describe(e));
                throw e;
            }
            Log.notice("s_connect: connected " + name);
            return ch; // the remote socket options are set by the connection (stunnel's remote_start)
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * client.c connect_init: the client's own port first when it is not privileged (transparent
     * source), else an ephemeral one. @return false after logging a failure
     */
    private static boolean bind(SocketChannel ch, InetSocketAddress addr, boolean transparent) {
        if (transparent) Transparent.allowNonLocalBind(ch);
        if (addr.getPort() >= 1024) {
            try {
                ch.bind(addr);
                Log.info("bind succeeded on the original port");
                return true;
            } catch (IOException e) {
                if (!Errors.describe(e).startsWith("Address already in use")) {
                    Log.err("bind (original port): " + Errors.describe(e));
                    return false;
                }
            }
        }
        try {
            ch.bind(new InetSocketAddress(addr.getAddress(), 0));
            Log.info("bind succeeded on an ephemeral port");
            return true;
        } catch (IOException e) {
            Log.err("bind (ephemeral port): " + Errors.describe(e));
            return false;
        }
    }

    private static boolean sameFamily(InetSocketAddress a, SocketAddress b) {
        if (!(b instanceof InetSocketAddress ib)) return false;
        return (a.getAddress() instanceof Inet4Address) == (ib.getAddress() instanceof Inet4Address);
    }

    /** AF_INET 2, AF_INET6 10, AF_UNIX 1 on Linux. */
    private static int family(SocketAddress a) {
        if (a instanceof InetSocketAddress i) return i.getAddress() instanceof Inet4Address ? 2 : 10;
        return 1;
    }
}
