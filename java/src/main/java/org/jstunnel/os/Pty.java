package org.jstunnel.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;

/**
 * A pseudo-terminal pair for {@code pty = yes} (stunnel's pty_allocate): the master descriptor
 * jstunnel keeps and the slave's path the program opens as its controlling terminal. Blocking
 * read/write/poll on the master are for platform threads only (a virtual thread would pin its carrier).
 */
public final class Pty {
    private interface C extends Library {
        int posix_openpt(int flags) throws LastErrorException;
        int grantpt(int fd) throws LastErrorException;
        int unlockpt(int fd) throws LastErrorException;
        int ptsname_r(int fd, Memory buf, long len);
        int open(String path, int flags) throws LastErrorException;
        long read(int fd, byte[] buf, long n) throws LastErrorException;
        long write(int fd, byte[] buf, long n) throws LastErrorException;
        int poll(Memory fds, long nfds, int timeout) throws LastErrorException;
        int close(int fd);
    }

    private static final class Holder {
        static final C C = Native.load(CLibrary.NAME, C.class);
    }

    private static final int O_RDWR = 2, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000;
    public static final int EIO = 5, EINTR = 4, EAGAIN = 11;

    private final int master;
    private final String slavePath;

    private Pty(int master, String slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /** posix_openpt, grantpt, unlockpt, ptsname: a new pair; the master is close-on-exec. */
    public static Pty open() throws IOException {
        C c = Holder.C;
        int m;
        try {
            m = c.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("posix_openpt: " + Spawn.describe(e.getErrorCode()));
        }
        try {
            c.grantpt(m);
            c.unlockpt(m);
            Memory name = new Memory(128);
            int err = c.ptsname_r(m, name, 128);
            if (err != 0) throw new IOException("ptsname: " + Spawn.describe(err));
            return new Pty(m, name.getString(0));
        } catch (LastErrorException e) {
            c.close(m);
            throw new IOException("grantpt: " + Spawn.describe(e.getErrorCode()));
        } catch (IOException | RuntimeException e) {
            c.close(m);
            throw e;
        }
    }

    public int master() { return master; }

    public String slavePath() { return slavePath; }

    /** Opens the slave without making it jstunnel's controlling terminal (kept open while the program starts). */
    public int openSlave() throws IOException {
        try {
            return Holder.C.open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException(slavePath + ": " + Spawn.describe(e.getErrorCode()));
        }
    }

    /** Waits up to {@code millis} for the master to be readable (or hung up). @return whether it is */
    public boolean awaitReadable(int millis) throws IOException {
        Memory pfd = new Memory(8);
        pfd.setInt(0, master);
        pfd.setShort(4, (short) 1); // POLLIN
        pfd.setShort(6, (short) 0);
        try {
            return Holder.C.poll(pfd, 1, millis) > 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINTR) return false;
            throw new IOException("poll: " + Spawn.describe(e.getErrorCode()));
        }
    }

    /** read(2) on the master: bytes read, or -1 once the program's side is closed (EIO, as Linux reports it). */
    public int read(byte[] buf) throws IOException {
        while (true) {
            try {
                long n = Holder.C.read(master, buf, buf.length);
                return n == 0 ? -1 : (int) n;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) continue;
                if (e.getErrorCode() == EIO) return -1;
                throw new IOException("read: " + Spawn.describe(e.getErrorCode()));
            }
        }
    }

    /** write(2) on the master, all of {@code len} bytes. */
    public void write(byte[] buf, int len) throws IOException {
        int off = 0;
        byte[] chunk = buf;
        while (off < len) {
            if (off > 0) {
                chunk = java.util.Arrays.copyOfRange(buf, off, len);
            }
            try {
                long n = Holder.C.write(master, chunk, len - off);
                off += (int) n;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) continue;
                throw new IOException("write: " + Spawn.describe(e.getErrorCode()));
            }
        }
    }

    /** Closes a descriptor (the master, or the slave jstunnel held while the program started). */
    public static void close(int fd) {
        if (fd >= 0) Holder.C.close(fd);
    }
}
