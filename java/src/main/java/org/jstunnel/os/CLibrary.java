package org.jstunnel.os;

import com.sun.jna.Platform;

/** The C library's name for {@code Native.load}. */
public final class CLibrary {
    /**
     * On Linux the soname: loading "c" makes JNA try "libc.so" (a linker script where libc6-dev is
     * installed, which dlopen refuses) and then run {@code ldconfig -p} as a child process, on every
     * start-up.
     */
    public static final String NAME = Platform.isLinux() ? "libc.so.6" : Platform.C_LIBRARY_NAME;

    private CLibrary() {}
}
