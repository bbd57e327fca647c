package org.jstunnel.it.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * curl against a tunnel's accept port as https://localhost:PORT, with {@code --resolve} pinning
 * localhost to 127.0.0.1 and {@code --cacert} the only trust anchor. {@code -w} prints
 * {@code http_code ssl_verify_result num_connects} per URL on stdout.
 */
public final class Curl {
    public static final String WRITE_OUT = "%{http_code} %{ssl_verify_result} %{num_connects}\\n";

    private Curl() {
    }

    /** Runs curl to completion; returns it (exited) for its exit code, stdout and stderr. */
    public static ManagedProcess run(Path dir, String name, int port, Path caFile, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.CURL, "-sS", "--fail", "--http1.1",
                "--max-time", Long.toString(Timeouts.TRANSFER.toSeconds()),
                "--cacert", caFile.toString(), "--resolve", "localhost:" + port + ":127.0.0.1",
                "-w", WRITE_OUT));
        cmd.addAll(args);
        ManagedProcess p = ManagedProcess.start(name, dir, cmd, false);
        p.exitCode(Timeouts.TRANSFER.plus(Timeouts.PEER_EXIT));
        return p;
    }

    public static String url(int port, String path) {
        return "https://localhost:" + port + path;
    }
}
