package org.jstunnel.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;

/**
 * sd_notify(3) without libsystemd: one datagram to {@code $NOTIFY_SOCKET} (a path, or an abstract
 * name written with a leading '@'). Java has no AF_UNIX datagram sockets, so three libc calls
 * through JNA; JNA is loaded only when systemd asked for notifications.
 */
public final class SdNotify {
    private static final int AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000, MSG_NOSIGNAL = 0x4000;
    private static final int MSG_DONTWAIT = 0x40;

    private interface C extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;
        long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen) throws LastErrorException;
        int close(int fd);
    }

    private static final class Holder {
        static final C C = Native.load(CLibrary.NAME, C.class);
    }

    private SdNotify() {}

    /** The socket systemd listens on, or null when not run by systemd with Type=notify. */
    public static String socket() {
        String s = System.getenv("NOTIFY_SOCKET");
        return s == null || s.isEmpty() || (s.charAt(0) != '/' && s.charAt(0) != '@') ? null : s;
    }

    /**
     * Sends {@code state} (newline-separated {@code KEY=VALUE} lines). Returns false when there is no
     * socket or the datagram could not be sent; never blocks (MSG_DONTWAIT) and never throws, as
     * sd_notify: the service goes on either way.
     */
    public static boolean send(String state) {
        String path = socket();
        if (path == null) return false;
        byte[] addr = sockaddr(path);
        if (addr == null) return false;
        byte[] msg = state.getBytes(StandardCharsets.UTF_8);
        int fd = -1;
        try {
            fd = Holder.C.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            Holder.C.sendto(fd, msg, msg.length, MSG_NOSIGNAL | MSG_DONTWAIT, addr, addr.length);
            return true;
        } catch (LastErrorException | LinkageError e) {
            return false; // no socket, or no JNA: systemd will time the start out and say so
        } finally {
            if (fd >= 0) Holder.C.close(fd);
        }
    }

    /** struct sockaddr_un for {@code path}: '@' stands for the abstract namespace's leading NUL. */
    static byte[] sockaddr(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = p[0] == '@';
        if (p.length > 107) return null;
        byte[] a = new byte[2 + p.length + (abstractName ? 0 : 1)]; // a path is NUL-terminated, an abstract name is not
        a[0] = AF_UNIX; // sa_family_t, little-endian on the platforms jstunnel builds for
        System.arraycopy(p, 0, a, 2, p.length);
        if (abstractName) a[2] = 0;
        return a;
    }
}
