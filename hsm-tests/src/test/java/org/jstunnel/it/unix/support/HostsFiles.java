package org.jstunnel.it.unix.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A launcher that runs a program in a mount namespace of its own in which the test's files are
 * bind-mounted over /etc/hosts.allow and /etc/hosts.deny (root; the machine's files are untouched),
 * so jstunnel and stunnel4's libwrap read the same rules from the same paths. The program keeps the
 * launcher's pid (unshare and sh exec it).
 */
public final class HostsFiles {
    private HostsFiles() {}

    /** A script that runs {@code binary} with its arguments under the given hosts files. */
    public static Path launcher(Path dir, Path binary, String allow, String deny) {
        try {
            Path a = dir.resolve("hosts.allow"), d = dir.resolve("hosts.deny");
            Files.writeString(a, allow);
            Files.writeString(d, deny);
            Path script = dir.resolve("with-hosts-" + binary.getFileName() + ".sh");
            Files.writeString(script, "#!/bin/sh\n"
                    + "exec unshare -m --propagation private /bin/sh -c "
                    + "'mount --bind \"$1\" /etc/hosts.allow && mount --bind \"$2\" /etc/hosts.deny && shift 2 && exec \"$@\"'"
                    + " sh '" + a + "' '" + d + "' '" + binary + "' \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
