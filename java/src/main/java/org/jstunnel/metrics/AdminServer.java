package org.jstunnel.metrics;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jstunnel.config.Address;
import org.jstunnel.log.Log;
import org.jstunnel.net.Errors;
import org.jstunnel.net.SocketAddresses;

/**
 * The admin listener ({@code adminListen}): {@code /metrics} (Prometheus text, written by the
 * Prometheus client), {@code /live}, {@code /ready}. Requests run on two platform threads of their
 * own, never on the connections' carriers. TCP is the client's HTTPServer; a Unix socket is served
 * by {@link UnixAdminServer}.
 */
public final class AdminServer implements AutoCloseable {
    private final ExecutorService pool;
    private final HTTPServer http;
    private final UnixAdminServer unix;

    private AdminServer(ExecutorService pool, HTTPServer http, UnixAdminServer unix) {
        this.pool = pool;
        this.http = http;
        this.unix = unix;
    }

    /** Enables the metrics and binds the listener; logs and rethrows a failure to bind. */
    public static AdminServer start(Address where) throws IOException {
        PrometheusRegistry registry = Metrics.enable();
        ExecutorService pool = Executors.newFixedThreadPool(2, daemonThreads());
        SocketAddress want = null;
        try {
            want = SocketAddresses.resolve(where).get(0);
            AdminServer s;
            if (want instanceof UnixDomainSocketAddress u) {
                s = new AdminServer(pool, null, UnixAdminServer.start(u, registry, pool));
            } else {
                InetSocketAddress in = (InetSocketAddress) want;
                if (!in.getAddress().isLoopbackAddress())
                    Log.warning("adminListen " + SocketAddresses.format(in) + " is not a loopback address: "
                        + "anyone who reaches it reads the metrics");
                HTTPServer h = HTTPServer.builder().inetAddress(in.getAddress()).port(in.getPort()).registry(registry)
                    .executorService(pool).registerHealthHandler(false).defaultHandler(AdminServer::health)
                    .buildAndStart();
                want = new InetSocketAddress(in.getAddress(), h.getPort());
                s = new AdminServer(pool, h, null);
            }
            Log.info("Admin listener (/metrics, /live, /ready) bound to " + SocketAddresses.format(want));
            return s;
        } catch (IOException | RuntimeException e) {
            pool.shutdownNow();
            Log.err("Binding admin listener to " + (want == null ? where : SocketAddresses.format(want)) + ": "
                + (e instanceof IOException io ? Errors.describe(io) : e.toString()));
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    private static void health(HttpExchange ex) throws IOException {
        try (ex) {
            AdminResponses.Answer a = AdminResponses.health(ex.getRequestURI().getPath());
            if (a == null) a = AdminResponses.notFound();
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(a.status(), head ? -1 : body.length);
            if (!head) try (OutputStream out = ex.getResponseBody()) { out.write(body); }
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "jstunnel-admin-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        if (http != null) http.close();
        if (unix != null) unix.close();
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
