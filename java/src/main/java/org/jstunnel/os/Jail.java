package org.jstunnel.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/** {@code chroot = DIRECTORY}: chroot(2) and chdir("/"), as stunnel's change_root. */
public final class Jail {
    private Jail() {}

    private interface C extends Library {
        int chroot(String path) throws LastErrorException;
        int chdir(String path) throws LastErrorException;
    }

    private static final class Holder {
        static final C C = Native.load(CLibrary.NAME, C.class);
    }

    public static void preload() { Holder.C.getClass(); }

    public static void enter(String dir) throws OsCallException {
        try {
            Holder.C.chroot(dir);
        } catch (LastErrorException e) {
            throw new OsCallException("chroot", e.getErrorCode());
        }
        try {
            Holder.C.chdir("/");
        } catch (LastErrorException e) {
            throw new OsCallException("chdir", e.getErrorCode());
        }
    }
}
