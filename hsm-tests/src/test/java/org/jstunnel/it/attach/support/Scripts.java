package org.jstunnel.it.attach.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Small executable programs for {@code exec}, written into a test's directory. */
public final class Scripts {
    private Scripts() {
    }

    /** Writes {@code body} (with its #! line) to {@code dir/name}, mode 0755. */
    public static Path write(Path dir, String name, String body) {
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve(name);
            Files.writeString(p, body);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A /bin/sh program that reports what it was started with, one {@code NAME=value} line each
     * ($0 and the arguments, the process's command line from /proc, REMOTE_HOST, REMOTE_PORT, SSL_CLIENT_DN, SSL_CLIENT_I_DN), then reads its stdin to EOF
     * and reports the byte count and SHA-256 ({@code COUNT=}, {@code SHA256=}), then exits with
     * {@code exitCode}. Proves both directions and the half-close: the count comes only after EOF.
     */
    public static Path reporter(Path dir, int exitCode) {
        return write(dir, "reporter.sh", """
                #!/bin/sh
                printf 'ARGV=%s\\n' "$0 $*"
                printf 'CMDLINE=%s\\n' "$(tr '\\000' ' ' < /proc/$$/cmdline)"
                printf 'REMOTE_HOST=%s\\n' "${REMOTE_HOST-<unset>}"
                printf 'REMOTE_PORT=%s\\n' "${REMOTE_PORT-<unset>}"
                printf 'SSL_CLIENT_DN=%s\\n' "${SSL_CLIENT_DN-<unset>}"
                printf 'SSL_CLIENT_I_DN=%s\\n' "${SSL_CLIENT_I_DN-<unset>}"
                tmp=$(mktemp)
                cat > "$tmp"
                printf 'COUNT=%s\\n' "$(wc -c < "$tmp" | tr -d ' ')"
                printf 'SHA256=%s\\n' "$(sha256sum < "$tmp" | cut -d' ' -f1)"
                rm -f "$tmp"
                echo 'to stderr' >&2
                exit @EXIT@
                """.replace("@EXIT@", Integer.toString(exitCode)));
    }
}
