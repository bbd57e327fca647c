package org.jstunnel.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;

/** The libc side of socket activation: what kind of socket a descriptor is, and duplicating it. */
public final class ListenFds {
    public static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    private static final int SOL_SOCKET = 1, SO_TYPE = 3, SO_ACCEPTCONN = 30, SO_DOMAIN = 39, SOCK_STREAM = 1;
    private static final int F_SETFD = 2, FD_CLOEXEC = 1, F_DUPFD_CLOEXEC = 1030;

    private interface C extends Library {
        int getsockopt(int fd, int level, int name, IntByReference value, IntByReference len) throws LastErrorException;
        int fcntl(int fd, int cmd, int arg) throws LastErrorException;
        int close(int fd);
    }

    private static final class Holder {
        static final C C = Native.load(CLibrary.NAME, C.class);
    }

    private ListenFds() {}

    /** The address family of a listening stream socket, or -1 when {@code fd} is not one. */
    public static int listeningStreamFamily(int fd) {
        try {
            if (option(fd, SO_TYPE) != SOCK_STREAM || option(fd, SO_ACCEPTCONN) != 1) return -1;
            return option(fd, SO_DOMAIN);
        } catch (LastErrorException e) {
            return -1;
        }
    }

    /** Marks {@code fd} close-on-exec: programs started by {@code exec} must not inherit it. */
    public static void closeOnExec(int fd) {
        try {
            Holder.C.fcntl(fd, F_SETFD, FD_CLOEXEC);
        } catch (LastErrorException ignored) {
            // not a descriptor: listeningStreamFamily already said so
        }
    }

    /** A close-on-exec duplicate: what a service listens on, so closing it leaves systemd's descriptor open. */
    public static int dup(int fd) throws IOException {
        try {
            return Holder.C.fcntl(fd, F_DUPFD_CLOEXEC, 3);
        } catch (LastErrorException e) {
            throw new IOException("fcntl(F_DUPFD_CLOEXEC): " + Spawn.describe(e.getErrorCode()));
        }
    }

    /** Closes a duplicate that could not be used. */
    public static void close(int fd) {
        Holder.C.close(fd);
    }

    private static int option(int fd, int name) {
        IntByReference v = new IntByReference(), len = new IntByReference(4);
        Holder.C.getsockopt(fd, SOL_SOCKET, name, v, len);
        return v.getValue();
    }
}
