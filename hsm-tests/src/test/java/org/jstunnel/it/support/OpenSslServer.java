package org.jstunnel.it.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code openssl s_server -rev} as a TLS peer for client mode: it answers every line with the line
 * reversed, which makes it an echo that cannot be faked by a tunnel that loops data back.
 *
 * <p>Flags: {@code -accept 127.0.0.1:0} (port 0: s_server prints {@code ACCEPT 127.0.0.1:PORT} on stdout;
 * that line is suppressed with {@code -quiet} or {@code -brief}, so neither is used), {@code -naccept 1}
 * (exit after one connection), {@code -rev}. In {@code -rev} mode the connection summary
 * ({@code Protocol version: ...}, {@code Ciphersuite: ...}, peer certificate) and every TLS error
 * ({@code ... alert unknown ca ...:SSL alert number 48}) go to stderr. Lines must be shorter than 16 KiB
 * and must not be {@code CLOSE} (that makes s_server close the connection).
 */
public final class OpenSslServer implements AutoCloseable, Diagnosable {
    private static final Pattern ACCEPT = Pattern.compile("(?m)^ACCEPT 127\\.0\\.0\\.1:(\\d+)$");
    private final ManagedProcess process;
    private final int port;

    private OpenSslServer(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** {@code args} adds e.g. {@code -tls1_2}, {@code -Verify 1 -CAfile F -verify_return_error}. */
    public static OpenSslServer startRev(Path dir, String name, TestPki.Entity identity, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.OPENSSL, "s_server", "-accept", "127.0.0.1:0",
                "-naccept", "1", "-rev", "-cert", identity.certFile().toString(),
                "-key", identity.keyFile().toString()));
        cmd.addAll(args);
        ManagedProcess p = ManagedProcess.start(name, dir, cmd, false);
        try {
            Deadline d = Deadline.after(Timeouts.LOG_LINE);
            while (true) {
                Matcher m = ACCEPT.matcher(p.stdout());
                if (m.find()) {
                    return new OpenSslServer(p, Integer.parseInt(m.group(1)));
                }
                if (d.expired() || !p.isAlive()) {
                    throw new AssertionError("s_server did not print its ACCEPT line\n" + p.diagnostics());
                }
                d.pause();
            }
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String stderr() {
        return process.stderr();
    }

    /** Waits until stderr contains a match of {@code p} (s_server writes it when the connection ends). */
    public String awaitStderr(Pattern p) {
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (true) {
            String err = process.stderr();
            if (p.matcher(err).find()) {
                return err;
            }
            if (d.expired()) {
                throw new AssertionError("s_server stderr has no /" + p + "/ within " + Timeouts.LOG_LINE);
            }
            d.pause();
        }
    }

    public Optional<Integer> awaitExit() {
        return process.awaitExit(Timeouts.PEER_EXIT);
    }

    @Override
    public String diagnostics() {
        return process.diagnostics();
    }

    @Override
    public void close() {
        process.close();
    }
}
