package org.jstunnel.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A plain TCP server on 127.0.0.1, port 0, serving each connection on its own virtual thread with
 * {@link #serve(Socket, Conn)}; records every connection so tests can assert what the tunnel did.
 */
public abstract class TcpBackend implements AutoCloseable, Diagnosable {
    private final String name;
    private final ServerSocketChannel server;
    private final List<Conn> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private boolean acceptorStarted;

    /** What one accepted connection did. */
    public static final class Conn {
        private final int remotePort;
        private final Digest.Builder received = new Digest.Builder();
        private final Digest.Builder sent = new Digest.Builder();
        private volatile boolean sawEof;
        private volatile Throwable error;
        private final CountDownLatch done = new CountDownLatch(1);

        Conn(int remotePort) {
            this.remotePort = remotePort;
        }

        /** The tunnel's source port: matches {@code connected remote server from 127.0.0.1:PORT}. */
        public int remotePort() {
            return remotePort;
        }

        public Digest received() {
            return received.build();
        }

        Digest.Builder receivedBuilder() {
            return received;
        }

        public Digest sent() {
            return sent.build();
        }

        Digest.Builder sentBuilder() {
            return sent;
        }

        /** The tunnel closed its sending side (FIN) while this backend could still answer: a half-close. */
        public boolean sawEof() {
            return sawEof;
        }

        void eof() {
            sawEof = true;
        }

        public Throwable error() {
            return error;
        }

        /** Waits until the backend has finished with this connection. */
        public Conn awaitDone(Duration timeout) {
            try {
                if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("backend connection from port " + remotePort + " not finished within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return this;
        }

        @Override
        public String toString() {
            return "from :" + remotePort + " received " + received.build() + ", sent " + sent.build() + ", eof=" + sawEof
                    + (error == null ? "" : ", error=" + error);
        }
    }

    protected TcpBackend(String name) {
        this.name = name;
        try {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getByName(Ports.LOOPBACK), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Handles one connection (a blocking channel's socket; {@code s.getChannel()} is available);
     * {@code conn} records what happened. Exceptions are recorded, the socket is closed after.
     */
    protected abstract void serve(Socket s, Conn conn) throws IOException;

    /** The bound port. Accepting starts here: nobody can connect before knowing the port, and subclasses are fully built by then. */
    public synchronized int port() {
        if (!acceptorStarted) {
            acceptorStarted = true;
            Thread.ofPlatform().daemon().name(name + "-accept").start(this::acceptLoop);
        }
        return server.socket().getLocalPort();
    }

    public List<Conn> connections() {
        return List.copyOf(connections);
    }

    /** Waits until at least {@code n} connections have arrived. */
    public List<Conn> awaitConnections(int n, Duration timeout) {
        Deadline d = Deadline.after(timeout);
        while (connections.size() < n) {
            if (d.expired()) {
                throw new AssertionError(name + ": expected " + n + " connection(s) within " + timeout + ", got " + connections);
            }
            d.pause();
        }
        return connections();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                SocketChannel ch = server.accept();
                s = ch.socket();
            } catch (IOException e) {
                return; // closed
            }
            Conn c = new Conn(s.getPort());
            sockets.add(s);
            connections.add(c);
            Thread.ofVirtual().name(name + "-conn").start(() -> {
                try (s) {
                    s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
                    serve(s, c);
                } catch (Throwable t) {
                    c.error = t;
                } finally {
                    c.done.countDown();
                }
            });
        }
    }

    @Override
    public String diagnostics() {
        return "=== backend " + name + " on port " + port() + ": " + connections.size() + " connection(s)\n"
                + String.join("\n", connections.stream().map(Conn::toString).toList()) + "\n";
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

}
