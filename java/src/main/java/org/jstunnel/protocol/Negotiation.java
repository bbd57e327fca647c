package org.jstunnel.protocol;

import java.net.SocketAddress;
import java.nio.channels.ByteChannel;
import java.util.List;

/**
 * What a {@link Protocol} works with on one connection: the plain local end, the plain remote end once
 * it is connected, the TLS stream once the handshake is done, the service's {@code protocol*}
 * options, and where the remote end should connect when the negotiation decides it (SOCKS, CONNECT).
 */
public final class Negotiation {
    private final ProtocolSettings settings;
    private final PlainWire local;
    private final SocketAddress localPeer, localAddress;
    private PlainWire remote;
    private TlsWire tls;
    private List<SocketAddress> targets;

    /**
     * @param local the accepted end (reads and writes note activity for the timeouts)
     * @param localPeer its peer address, null when it is not a socket
     * @param localAddress its own address, null when it is not a socket
     */
    public Negotiation(ProtocolSettings settings, ByteChannel local, SocketAddress localPeer, SocketAddress localAddress) {
        this.settings = settings;
        this.local = new PlainWire(local);
        this.localPeer = localPeer;
        this.localAddress = localAddress;
    }

    public ProtocolSettings settings() { return settings; }

    /** The accepted end, in plaintext (before TLS in server mode, always in client mode). */
    public PlainWire local() { return local; }

    /** The remote end in plaintext; connected before {@link Protocol#middle} when the mode connects first. */
    public PlainWire remote() {
        if (remote == null) throw new IllegalStateException("remote end not connected yet");
        return remote;
    }

    /** The TLS stream (after the handshake). */
    public TlsWire tls() {
        if (tls == null) throw new IllegalStateException("TLS not negotiated yet");
        return tls;
    }

    public SocketAddress localPeer() { return localPeer; }

    public SocketAddress localAddress() { return localAddress; }

    public void remoteConnected(ByteChannel remoteEnd) { this.remote = new PlainWire(remoteEnd); }

    public void tlsStarted(TlsWire tlsWire) { this.tls = tlsWire; }

    /** Where the remote end connects instead of the {@code connect} targets (stunnel's c->connect_addr). */
    public void connectTo(List<SocketAddress> addresses) { this.targets = List.copyOf(addresses); }

    /** The addresses the negotiation chose, or null: the service's own targets. */
    public List<SocketAddress> targets() { return targets; }

    /** Decrypted bytes the negotiation read past its last message: the first bytes of the transfer. */
    public byte[] tlsLeftover() { return tls == null ? new byte[0] : tls.takeLeftover(); }
}
