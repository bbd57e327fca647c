package org.jstunnel.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One request/response over a connected socket: a writer thread sends the whole payload and then
 * shuts down output (half-close: FIN, or close_notify on TLS 1.3), while this thread reads to EOF.
 * Reading concurrently with writing means a tunnel that echoes can never deadlock the test.
 */
public record Exchange(int localPort, Digest sent, Digest received, byte[] receivedPrefix, IOException failure) {
    /** At most this many received bytes are kept verbatim for text assertions. */
    public static final int PREFIX = 1 << 20;

    public interface Source {
        void writeTo(OutputStream out) throws IOException;
    }

    public static Exchange run(Socket socket, Payload payload) {
        return run(socket, payload::writeTo);
    }

    public static Exchange run(Socket socket, byte[] data) {
        return run(socket, out -> {
            out.write(data);
            out.flush();
        });
    }

    public static Exchange run(Socket socket, Source source) {
        Digest.Builder sent = new Digest.Builder();
        Digest.Builder received = new Digest.Builder();
        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        AtomicReference<IOException> failure = new AtomicReference<>();
        int localPort = socket.getLocalPort();
        try (socket) {
            socket.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            OutputStream raw = socket.getOutputStream();
            Thread writer = Thread.ofVirtual().name("exchange-writer").start(() -> {
                try {
                    source.writeTo(new OutputStream() {
                        @Override
                        public void write(int b) throws IOException {
                            write(new byte[] {(byte) b}, 0, 1);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            raw.write(b, off, len);
                            sent.update(b, off, len);
                        }
                    });
                    raw.flush();
                    socket.shutdownOutput();
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                }
            });
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                received.update(buf, 0, n);
                int keep = Math.min(n, PREFIX - prefix.size());
                if (keep > 0) {
                    prefix.write(buf, 0, keep);
                }
            }
            if (!writer.join(Timeouts.TRANSFER)) {
                failure.compareAndSet(null, new IOException("writer did not finish within " + Timeouts.TRANSFER));
            }
        } catch (IOException e) {
            failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return new Exchange(localPort, sent.build(), received.build(), prefix.toByteArray(), failure.get());
    }

    public boolean failed() {
        return failure != null;
    }

    /** Fails (with the exception as cause) unless the exchange completed without error. */
    public Exchange requireSuccess() {
        if (failure != null) {
            throw new AssertionError("exchange from local port " + localPort + " failed after sending " + sent
                    + " and receiving " + received + ": " + failure, failure);
        }
        return this;
    }

    public String receivedText() {
        return new String(receivedPrefix, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
