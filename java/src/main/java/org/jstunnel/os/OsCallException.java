package org.jstunnel.os;

/** A failed C library call, worded as stunnel's sockerror/ioerror: {@code chroot: No such file or directory (2)}. */
public final class OsCallException extends Exception {
    private final int errno;

    public OsCallException(String call, int errno) {
        super(call + ": " + Spawn.describe(errno));
        this.errno = errno;
    }

    public int errno() { return errno; }
}
