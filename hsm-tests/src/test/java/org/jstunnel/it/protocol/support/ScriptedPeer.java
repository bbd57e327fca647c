package org.jstunnel.it.protocol.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jstunnel.it.support.Timeouts;

/**
 * A small TCP server written in the test (a mail server, a proxy, ...): each accepted connection
 * runs {@link Script} on its own thread; what the script notes and any failure are kept for the
 * test to assert. At most {@code maxConnections} connections are served.
 */
public final class ScriptedPeer implements AutoCloseable {
    @FunctionalInterface
    public interface Script {
        void run(Wire w, ScriptedPeer peer) throws Exception;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<String> notes = new ConcurrentLinkedQueue<>();
    private final CountDownLatch done;
    private final int max;

    public ScriptedPeer(String host, int maxConnections, Script script) {
        try {
            server = new ServerSocket(0, 8, InetAddress.getByName(host));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        max = maxConnections;
        done = new CountDownLatch(maxConnections);
        acceptor = new Thread(() -> {
            for (int i = 0; i < maxConnections; i++) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                Thread.ofPlatform().daemon().start(() -> {
                    try (Socket c = s) {
                        c.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
                        script.run(new Wire(c), this);
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        done.countDown();
                    }
                });
            }
        }, "scripted-peer");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public ScriptedPeer(int maxConnections, Script script) {
        this("127.0.0.1", maxConnections, script);
    }

    public int port() { return server.getLocalPort(); }

    public void note(String s) { notes.add(s); }

    public List<String> notes() { return List.copyOf(notes); }

    public List<Throwable> failures() { return List.copyOf(failures); }

    /** Waits until {@code n} connections have finished their script. */
    public void awaitConnections(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        long served = 0;
        while (System.nanoTime() < end) {
            served = max - done.getCount();
            if (served >= n) return;
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("scripted peer finished " + served + " of " + n + " connection(s); failures: " + failures);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
