package org.jstunnel.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The admin listener on a Unix socket (the JDK's HTTP server only does TCP): one GET per
 * connection, answered with HTTP/1.1 and closed. The metrics body is the Prometheus client's text
 * writer; this class only frames it. A client gets 5 seconds to send its request.
 */
final class UnixAdminServer implements AutoCloseable {
    private static final int MAX_REQUEST = 8192;

    private final ServerSocketChannel channel;
    private final UnixDomainSocketAddress path;
    private final PrometheusRegistry registry;
    private final ExecutorService pool;
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;

    private UnixAdminServer(ServerSocketChannel channel, UnixDomainSocketAddress path, PrometheusRegistry registry,
            ExecutorService pool) {
        this.channel = channel;
        this.path = path;
        this.registry = registry;
        this.pool = pool;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jstunnel-admin-deadline");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "jstunnel-admin-accept");
        acceptor.setDaemon(true);
    }

    static UnixAdminServer start(UnixDomainSocketAddress path, PrometheusRegistry registry, ExecutorService pool)
            throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Files.deleteIfExists(path.getPath());
            ch.bind(path, 16);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        UnixAdminServer s = new UnixAdminServer(ch, path, registry, pool);
        s.acceptor.start();
        return s;
    }

    private void acceptLoop() {
        while (channel.isOpen()) {
            SocketChannel c;
            try {
                c = channel.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                pool.execute(() -> serve(c));
            } catch (RejectedExecutionException e) {
                closeQuietly(c);
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        var deadline = deadlines.schedule(() -> closeQuietly(c), 5, TimeUnit.SECONDS);
        try (c) {
            String target = requestTarget(c);
            if (target == null) return;
            String pathOnly = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            if (pathOnly.equals("/metrics")) {
                ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
                PrometheusTextFormatWriter w = PrometheusTextFormatWriter.create();
                w.write(body, registry.scrape(), EscapingScheme.DEFAULT);
                respond(c, 200, w.getContentType(), body.toByteArray());
            } else {
                AdminResponses.Answer a = AdminResponses.health(pathOnly);
                if (a == null) a = AdminResponses.notFound();
                respond(c, a.status(), "text/plain; charset=utf-8", a.body().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the client went away or was too slow: nothing to tell anyone
        } finally {
            deadline.cancel(false);
        }
    }

    /** The request line's target of a GET, after reading the whole head; null if there is none. */
    private static String requestTarget(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MAX_REQUEST);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) break;
            String head = new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1);
            if (head.contains("\r\n\r\n") || head.contains("\n\n")) {
                String[] first = head.substring(0, head.indexOf('\n')).trim().split(" ");
                if (first.length < 2 || !first[0].equals("GET")) {
                    respond(c, 405, "text/plain", "only GET\n".getBytes(StandardCharsets.US_ASCII));
                    return null;
                }
                return first[1];
            }
        }
        return null;
    }

    private static void respond(SocketChannel c, int status, String type, byte[] body) throws IOException {
        String reason = switch (status) {
            case 200 -> "OK";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            default -> "Service Unavailable";
        };
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
            + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
        out.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
        while (out.hasRemaining()) c.write(out);
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing cannot lose anything here
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to lose
        }
        deadlines.shutdownNow();
        try {
            Files.deleteIfExists(path.getPath());
        } catch (IOException ignored) {
            // best effort, as a service's Unix listener
        }
    }
}
