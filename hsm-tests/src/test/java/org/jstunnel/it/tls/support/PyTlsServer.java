package org.jstunnel.it.tls.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.Diagnosable;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Timeouts;

/**
 * A TLS server written with Python's {@code ssl} module: for each connection it reads one line,
 * answers it upper-cased, and prints {@code conn N reused=True|False sni=NAME version=V} to stdout,
 * so a test can count resumed handshakes from the server's own point of view.
 */
public final class PyTlsServer implements AutoCloseable, Diagnosable {
    private static final String SCRIPT = """
            import socket, ssl, sys
            cert, key, version, ca = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            if version == "1.2":
                ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            elif version == "1.3":
                ctx.minimum_version = ssl.TLSVersion.TLSv1_3
            if ca != "-":
                ctx.load_verify_locations(ca)
                ctx.verify_mode = ssl.CERT_REQUIRED
            names = []
            def sni(sock, name, context):
                names.append(name)
            ctx.sni_callback = sni
            srv = socket.create_server(("127.0.0.1", 0))
            print("PORT %d" % srv.getsockname()[1], flush=True)
            n = 0
            while True:
                conn, _ = srv.accept()
                n += 1
                try:
                    s = ctx.wrap_socket(conn, server_side=True)
                    line = b""
                    while not line.endswith(b"\\n"):
                        chunk = s.recv(1024)
                        if not chunk:
                            break
                        line += chunk
                    s.sendall(line.upper())
                    print("conn %d reused=%s sni=%s version=%s" % (n, s.session_reused, names[-1] if names else None,
                          s.version()), flush=True)
                    try:  # until the peer's close_notify or EOF: closing earlier could reset the connection
                        while s.recv(1024):
                            pass
                    except Exception:
                        pass
                    s.close()
                except Exception as e:
                    print("conn %d error=%s" % (n, e), flush=True)
                    conn.close()
            """;
    private static final Pattern PORT = Pattern.compile("(?m)^PORT (\\d+)$");
    private final ManagedProcess process;
    private final int port;

    private PyTlsServer(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @param version "1.2", "1.3" or "any"; @param caFile client certificates required from this CA, or null */
    public static PyTlsServer start(Path dir, CaPki.Leaf identity, String version, Path caFile) {
        try {
            Files.createDirectories(dir);
            Path script = dir.resolve("tls_server.py");
            Files.writeString(script, SCRIPT);
            List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), identity.chainFile().toString(),
                    identity.keyFile().toString(), version, caFile == null ? "-" : caFile.toString()));
            ManagedProcess p = ManagedProcess.start("python-tls-server", dir, cmd, false);
            Deadline d = Deadline.after(Timeouts.LOG_LINE);
            while (true) {
                Matcher m = PORT.matcher(p.stdout());
                if (m.find()) return new PyTlsServer(p, Integer.parseInt(m.group(1)));
                if (d.expired() || !p.isAlive()) {
                    p.close();
                    throw new AssertionError("python TLS server did not start\n" + p.diagnostics());
                }
                d.pause();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The per-connection report lines so far. */
    public List<String> connections() {
        return process.stdout().lines().filter(l -> l.startsWith("conn ")).toList();
    }

    /** Waits for the report of connection {@code n} (1-based). */
    public String awaitConnection(int n) {
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (connections().size() < n) {
            if (d.expired()) throw new AssertionError("no report of connection " + n + "\n" + diagnostics());
            d.pause();
        }
        return connections().get(n - 1);
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
