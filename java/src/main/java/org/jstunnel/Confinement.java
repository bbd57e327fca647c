package org.jstunnel;

import org.jstunnel.config.GlobalOptions;
import org.jstunnel.log.Log;
import org.jstunnel.os.Credentials;
import org.jstunnel.os.Jail;
import org.jstunnel.os.OsCallException;

/**
 * stunnel's change_root and drop_privileges, between binding and the first accept: {@code chroot},
 * then {@code setgid} (with setgroups) and {@code setuid} for the whole process. 0 means "not set",
 * as in stunnel. Not repeated on reload (the manual: chroot, setuid and setgid are not reloaded).
 */
final class Confinement {
    private Confinement() {}

    static void apply(GlobalOptions g) throws OsCallException {
        String dir = g.string("chroot");
        if (dir != null && !dir.isEmpty()) {
            JailPreload.run(g);
            Jail.enter(dir);
            Log.notice("Switched to chroot directory: " + dir);
        }
        int gid = id(g.string("setgid"));
        if (gid != 0) Credentials.setGroup(gid);
        int uid = id(g.string("setuid"));
        if (uid != 0) Credentials.setUser(uid);
    }

    private static int id(String v) {
        return v == null || v.isEmpty() ? 0 : Integer.parseUnsignedInt(v);
    }
}
