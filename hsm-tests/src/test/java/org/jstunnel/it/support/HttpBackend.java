package org.jstunnel.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny plain-HTTP backend on 127.0.0.1, port 0: {@code GET /payload/N} answers N deterministic
 * bytes ({@link Payload#of(long)}); {@code POST /sha256} answers the body's byte count and SHA-256.
 */
public final class HttpBackend implements AutoCloseable, Diagnosable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger requests = new AtomicInteger();

    public HttpBackend() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(Ports.LOOPBACK), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/payload/", this::payload);
        server.createContext("/sha256", this::sha256);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    private void payload(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            long n = Long.parseLong(ex.getRequestURI().getPath().substring("/payload/".length()));
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, n == 0 ? -1 : n);
            try (OutputStream out = ex.getResponseBody()) {
                Payload.of(n).writeTo(out);
            }
        }
    }

    private void sha256(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            Digest.Builder d = new Digest.Builder();
            try (InputStream in = ex.getRequestBody()) {
                in.transferTo(d.asOutputStream());
            }
            byte[] body = d.build().toString().getBytes(StandardCharsets.US_ASCII);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public String diagnostics() {
        return "=== HTTP backend on port " + port() + ": " + requests.get() + " request(s)\n";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
