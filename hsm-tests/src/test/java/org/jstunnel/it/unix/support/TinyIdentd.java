package org.jstunnel.it.unix.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * An RFC 1413 server on port 113 of one loopback address (root): reads one query line, records it,
 * answers what {@code answer} makes of it, closes. Bounded: a query longer than 1000 bytes is cut.
 */
public final class TinyIdentd implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private volatile UnaryOperator<String> answer;
    private final Thread thread;

    public TinyIdentd(String address, UnaryOperator<String> answer) throws IOException {
        this.answer = answer;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(address), 113));
        thread = Thread.ofPlatform().daemon(true).name("tiny-identd").start(this::serve);
    }

    public void answer(UnaryOperator<String> a) { answer = a; }

    public List<String> queries() { return queries; }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                StringBuilder q = new StringBuilder();
                for (int b; q.length() < 1000 && (b = in.read()) >= 0 && b != '\n'; ) q.append((char) b);
                String query = q.toString();
                queries.add(query);
                OutputStream out = s.getOutputStream();
                out.write((answer.apply(query.strip()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // closed, or a client that went away: next one
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
