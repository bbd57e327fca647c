package org.jstunnel.ssl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.jstunnel.log.Log;

/** stunnel's file_permissions: a secret file anyone else may read or write gets a warning. */
public final class FilePermissions {
    private FilePermissions() {}

    /** @return false (after logging stunnel's ioerror line) if the file cannot be examined */
    public static boolean check(String file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(Path.of(file));
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE)
                    || p.contains(PosixFilePermission.OTHERS_EXECUTE))
                Log.warning("Insecure file permissions on " + file);
            return true;
        } catch (NoSuchFileException e) {
            Log.err(file + ": No such file or directory (2)");
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            Log.err(file + ": " + e.getMessage());
            return false;
        }
    }
}
