package org.jstunnel.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * {@code setuid}/{@code setgid}: user and group names to numbers (getpwnam/getgrnam, so NSS users
 * work as in stunnel) and the process-wide drop. glibc's setresgid/setgroups/setresuid change every
 * thread of the process (they broadcast to all threads), which a JVM with dozens of threads needs:
 * the raw system calls would change only the calling thread.
 */
public final class Credentials {
    private Credentials() {}

    private interface C extends Library {
        Pointer getpwnam(String name);
        Pointer getgrnam(String name);
        int setresgid(int r, int e, int s) throws LastErrorException;
        int setresuid(int r, int e, int s) throws LastErrorException;
        int setgroups(long size, int[] list) throws LastErrorException;
        int getuid();
        int lchown(String path, int uid, int gid) throws LastErrorException;
        int getgid();
    }

    private static final class Holder {
        static final C C = Native.load(CLibrary.NAME, C.class);
    }

    // struct passwd / struct group on LP64: two char* before the numeric id(s)
    private static final int PW_UID = 16, PW_GID = 20, GR_GID = 16;

    // Names resolved before a chroot: a reload inside a jail without /etc/passwd still knows them
    // (stunnel would refuse the name there; setuid and setgid are not reloaded anyway).
    private static final java.util.Map<String, Integer> users = new java.util.HashMap<>();
    private static final java.util.Map<String, Integer> groups = new java.util.HashMap<>();

    /** The uid of user {@code name}, or null if there is no such user. */
    public static synchronized Integer userId(String name) {
        Pointer pw = Holder.C.getpwnam(name);
        if (pw == null) return users.get(name);
        users.put(name, pw.getInt(PW_UID));
        return pw.getInt(PW_UID);
    }

    /** The gid of group {@code name}, or null if there is no such group. */
    public static synchronized Integer groupId(String name) {
        Pointer gr = Holder.C.getgrnam(name);
        if (gr == null) return groups.get(name);
        groups.put(name, gr.getInt(GR_GID));
        return gr.getInt(GR_GID);
    }

    public static int uid() { return Holder.C.getuid(); }

    public static int gid() { return Holder.C.getgid(); }

    /** setresgid(gid) then setgroups({gid}), as stunnel's setgid + setgroups; throws with the failed call. */
    public static void setGroup(int gid) throws OsCallException {
        try {
            Holder.C.setresgid(gid, gid, gid);
        } catch (LastErrorException e) {
            throw new OsCallException("setgid", e.getErrorCode());
        }
        try {
            Holder.C.setgroups(1, new int[] {gid});
        } catch (LastErrorException e) {
            throw new OsCallException("setgroups", e.getErrorCode());
        }
    }

    /** setresuid(uid): real, effective and saved, so root cannot be regained. */
    public static void setUser(int uid) throws OsCallException {
        try {
            Holder.C.setresuid(uid, uid, uid);
        } catch (LastErrorException e) {
            throw new OsCallException("setuid", e.getErrorCode());
        }
    }

    /** lchown(2): fchown does not work on Unix sockets (stunnel's bind_port). */
    public static void lchown(String path, int uid, int gid) throws OsCallException {
        try {
            Holder.C.lchown(path, uid, gid);
        } catch (LastErrorException e) {
            throw new OsCallException(path, e.getErrorCode());
        }
    }

    /** Loads the binding now (before a chroot hides libc's file). */
    public static void preload() { Holder.C.getuid(); }
}
