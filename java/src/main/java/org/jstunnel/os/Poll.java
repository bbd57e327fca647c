package org.jstunnel.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * poll(2) and O_NONBLOCK for plain descriptors Java cannot select on (inetd mode's stdin/stdout
 * pipes): a read or write blocked in the kernel on such a descriptor cannot be ended by closing
 * it, so inetd mode makes them non-blocking (as stunnel does) and waits for them here, a short
 * timeout at a time, so a closed connection is noticed.
 */
public final class Poll {
    private Poll() {}

    private interface C extends Library {
        int poll(Pointer fds, long nfds, int timeout) throws LastErrorException;
        int fcntl(int fd, int cmd, int arg) throws LastErrorException;
    }

    private static final class Holder {
        static final C C = Native.load(CLibrary.NAME, C.class);
    }

    /** Loads the binding now (before a chroot hides libc's file). */
    public static void preload() { Holder.C.getClass(); }

    public static final short POLLIN = 0x1, POLLOUT = 0x4;
    private static final int F_GETFL = 3, F_SETFL = 4, O_NONBLOCK = 0x800, EINTR = 4;

    /** Sets O_NONBLOCK on {@code fd} (stunnel's set_nonblock(fd, 1)). */
    public static void setNonBlocking(int fd) throws IOException {
        try {
            int flags = Holder.C.fcntl(fd, F_GETFL, 0);
            if ((flags & O_NONBLOCK) == 0) Holder.C.fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        } catch (LastErrorException e) {
            throw new IOException("fcntl: " + Spawn.describe(e.getErrorCode()));
        }
    }

    /** Waits up to {@code millis} for {@code events} (or an error or hang-up) on {@code fd}. */
    public static void await(int fd, short events, int millis) throws IOException {
        Memory pfd = new Memory(8); // struct pollfd { int fd; short events; short revents; }
        pfd.setInt(0, fd);
        pfd.setShort(4, events);
        pfd.setShort(6, (short) 0);
        try {
            Holder.C.poll(pfd, 1, millis);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EINTR) throw new IOException("poll: " + Spawn.describe(e.getErrorCode()));
        }
    }
}
