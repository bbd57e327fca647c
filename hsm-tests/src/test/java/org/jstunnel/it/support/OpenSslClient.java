package org.jstunnel.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code openssl s_client} as a TLS peer with binary-clean pipes.
 *
 * <p>Flags: {@code -brief} puts the connection summary ({@code Protocol version:}, {@code Ciphersuite:},
 * verification) on stderr so stdout carries only application data; {@code -nocommands} stops lines
 * starting with Q/R/k/K from being taken as commands. Without {@code -quiet}/{@code -ign_eof}, EOF on
 * stdin makes s_client send close_notify and exit at once (OpenSSL 3.0 s_client cannot half-close and
 * keep reading), so the test keeps stdin open until everything expected has arrived, then closes it.
 * While stdin is open, s_client reads what the server sends, including a fatal alert after the
 * handshake (TLS 1.3 client-certificate failures), and exits non-zero on it.
 */
public final class OpenSslClient implements AutoCloseable, Diagnosable {
    private final ManagedProcess process;
    private final Digest.Builder received = new Digest.Builder();
    private final ByteArrayOutputStream prefix = new ByteArrayOutputStream();
    private final AtomicReference<Throwable> ioFailure = new AtomicReference<>();
    private final Thread reader;
    private volatile Thread writer;

    private OpenSslClient(ManagedProcess process) {
        this.process = process;
        this.reader = Thread.ofVirtual().name(process.name() + "-stdout").start(this::readStdout);
    }

    /**
     * Connects to 127.0.0.1:{@code port}; {@code args} adds e.g. {@code -tls1_3}, {@code -CAfile F},
     * {@code -verify_return_error}, {@code -cert F -key F}.
     */
    public static OpenSslClient connect(Path dir, String name, int port, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.OPENSSL, "s_client",
                "-connect", Ports.loopback(port), "-brief", "-nocommands"));
        cmd.addAll(args);
        return new OpenSslClient(ManagedProcess.start(name, dir, cmd, true));
    }

    /** Standard verifying client: trusts {@code caFile}, requires a valid chain and host name localhost. */
    public static List<String> verifying(Path caFile) {
        return List.of("-CAfile", caFile.toString(), "-verify_return_error", "-verify_hostname", "localhost",
                "-servername", "localhost");
    }

    private void readStdout() {
        try (InputStream in = process.process().getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                received.update(buf, 0, n);
                synchronized (prefix) {
                    int keep = Math.min(n, Exchange.PREFIX - prefix.size());
                    if (keep > 0) {
                        prefix.write(buf, 0, keep);
                    }
                }
            }
        } catch (IOException e) {
            ioFailure.compareAndSet(null, e);
        }
    }

    /** Writes {@code payload} to stdin on a separate thread; stdin stays open. */
    public OpenSslClient send(Payload payload) {
        return send(payload::writeTo);
    }

    public OpenSslClient send(Exchange.Source source) {
        writer = Thread.ofVirtual().name(process.name() + "-stdin").start(() -> {
            try {
                OutputStream out = process.process().getOutputStream();
                source.writeTo(out);
                out.flush();
            } catch (IOException e) {
                ioFailure.compareAndSet(null, e);
            }
        });
        return this;
    }

    /** Waits until {@code n} bytes arrived on stdout (fails early if s_client exits first). */
    public Digest awaitReceived(long n, Duration timeout) {
        Deadline d = Deadline.after(timeout);
        while (received.count() < n) {
            if (d.expired() || (!process.isAlive() && !reader.isAlive())) {
                throw new AssertionError("s_client received " + received.count() + " of " + n + " bytes"
                        + (process.isAlive() ? " within " + timeout : " before exiting (exit code " + process.process().exitValue() + ")"));
            }
            d.pause();
        }
        return received.build();
    }

    /** Closes stdin: s_client sends close_notify and exits. */
    public OpenSslClient closeInput() {
        try {
            Thread w = writer;
            if (w != null && !w.join(Timeouts.TRANSFER)) {
                throw new AssertionError("s_client stdin writer still busy after " + Timeouts.TRANSFER);
            }
            process.process().getOutputStream().close();
        } catch (IOException e) {
            // s_client already exited: nothing to close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return this;
    }

    /** Waits for exit (and for stdout to be drained); returns the exit code. */
    public int awaitExit() {
        int code = process.exitCode(Timeouts.PEER_EXIT);
        try {
            if (!reader.join(Timeouts.LOG_LINE)) {
                throw new AssertionError("s_client stdout not drained");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return code;
    }

    public Digest received() {
        return received.build();
    }

    public String receivedText() {
        synchronized (prefix) {
            return prefix.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** The {@code -brief} summary and any errors/alerts. */
    public String stderr() {
        return process.stderr();
    }

    @Override
    public String diagnostics() {
        return process.diagnostics() + "    stdout: " + received.build() + "\n";
    }

    @Override
    public void close() {
        process.close();
    }
}
