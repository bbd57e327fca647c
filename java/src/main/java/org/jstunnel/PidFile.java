package org.jstunnel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jstunnel.log.Log;

/** {@code pid = FILE}: written once the listeners are bound, removed at exit. */
final class PidFile {
    private final Path path;

    private PidFile(Path path) { this.path = path; }

    static PidFile create(String configured) throws IOException {
        if (configured == null || configured.isEmpty()) return new PidFile(null);
        Path p = Path.of(configured);
        Log.debug("Creating pid file " + p);
        Files.writeString(p, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        return new PidFile(p);
    }

    void remove() {
        if (path == null) return;
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            Log.err("Cannot remove pid file " + path + ": " + e.getMessage());
        }
    }
}
