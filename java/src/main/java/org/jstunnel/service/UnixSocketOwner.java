package org.jstunnel.service;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import org.jstunnel.config.ServiceOptions;
import org.jstunnel.log.Log;
import org.jstunnel.net.Listener;
import org.jstunnel.os.Credentials;
import org.jstunnel.os.OsCallException;

/**
 * A service's {@code setuid}/{@code setgid} on its Unix socket, as stunnel's bind_port: the socket
 * file is given to that user and group (0 where unset), errors only logged.
 */
final class UnixSocketOwner {
    private UnixSocketOwner() {}

    static void apply(Listener l, ServiceOptions o) {
        if (!(l.boundAddress() instanceof UnixDomainSocketAddress u)) return;
        int uid = id(o.string("setuid")), gid = id(o.string("setgid"));
        if (uid == 0 && gid == 0) return;
        String path = u.getPath().toString();
        String ids = ", UID=" + Integer.toUnsignedString(uid) + ", GID=" + Integer.toUnsignedString(gid);
        try {
            Credentials.lchown(path, uid, gid);
            Log.debug("Socket chown succeeded: " + path + ids);
        } catch (OsCallException e) {
            try {
                int owner = (Integer) Files.getAttribute(u.getPath(), "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int group = (Integer) Files.getAttribute(u.getPath(), "unix:gid", LinkOption.NOFOLLOW_LINKS);
                if (owner == uid && group == gid) Log.debug("Socket chown unneeded: " + path + ids);
                else Log.err("Socket chown failed: " + path + ids);
            } catch (IOException | RuntimeException statFailed) {
                Log.err(e.getMessage());
            }
        }
    }

    private static int id(String v) {
        return v == null || v.isEmpty() ? 0 : Integer.parseUnsignedInt(v);
    }
}
