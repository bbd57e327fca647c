package org.jstunnel.it.tls.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.Diagnosable;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.Timeouts;

/**
 * {@code openssl s_server -rev} on a port chosen in advance (so a tunnel configured once can connect
 * to successive servers), presenting a chain; each line is answered reversed. Errors and alerts go
 * to stderr.
 */
public final class SServer implements AutoCloseable, Diagnosable {
    private static final Pattern ACCEPT = Pattern.compile("(?m)^ACCEPT");
    private final ManagedProcess process;

    private SServer(ManagedProcess process) {
        this.process = process;
    }

    public static SServer start(Path dir, String name, int port, CaPki.Leaf identity, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.OPENSSL, "s_server", "-accept", Ports.loopback(port),
                "-rev", "-cert", identity.certFile().toString(), "-key", identity.keyFile().toString(),
                "-cert_chain", identity.chainFile().toString()));
        cmd.addAll(args);
        ManagedProcess p = ManagedProcess.start(name, dir, cmd, false);
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (!ACCEPT.matcher(p.stdout()).find()) {
            if (d.expired() || !p.isAlive()) {
                p.close();
                throw new AssertionError("s_server did not start\n" + p.diagnostics());
            }
            d.pause();
        }
        return new SServer(p);
    }

    public String stderr() {
        return process.stderr();
    }

    public String stdout() {
        return process.stdout();
    }

    /** Waits until stderr matches {@code p}; returns stderr. */
    public String awaitStderr(Pattern p) {
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (!p.matcher(process.stderr()).find()) {
            if (d.expired()) throw new AssertionError("s_server stderr has no /" + p + "/\n" + process.diagnostics());
            d.pause();
        }
        return process.stderr();
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
