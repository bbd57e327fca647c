package org.jstunnel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jstunnel.log.Log;

/**
 * {@code pid = FILE}, as stunnel's create_pid/delete_pid: written after chroot and setuid (so inside
 * the jail, owned by the unprivileged user, who can remove it at exit), a stale file removed first,
 * created exclusively with mode 0644.
 */
final class PidFile {
    private final Path path;

    private PidFile(Path path) { this.path = path; }

    static PidFile create(String configured) throws IOException {
        if (configured == null || configured.isEmpty()) {
            Log.debug("No pid file being created");
            return new PidFile(null);
        }
        Path p = Path.of(configured);
        try {
            Files.deleteIfExists(p); // stunnel: "silently remove the old pid file"
        } catch (IOException ignored) {
            // the create below reports it
        }
        try {
            Files.writeString(p, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--")); // 0644 whatever the umask
        } catch (IOException e) {
            Log.err("Cannot create pid file " + configured);
            Log.err("create: " + describe(e));
            throw e;
        }
        Log.debug("Created pid file " + configured);
        return new PidFile(p);
    }

    void remove() {
        if (path == null) {
            Log.debug("No pid file to remove");
            return;
        }
        try {
            Files.delete(path);
            Log.debug("Removed pid file " + path);
        } catch (IOException e) {
            Log.err(path + ": " + describe(e)); // stunnel's ioerror(pidfile): not critical
        }
    }

    /** File errors in stunnel's words (strerror and errno); NIO names only the path. */
    static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied (13)";
        if (e instanceof NoSuchFileException) return "No such file or directory (2)";
        if (e instanceof java.nio.file.FileAlreadyExistsException) return "File exists (17)";
        return String.valueOf(e.getMessage());
    }
}
