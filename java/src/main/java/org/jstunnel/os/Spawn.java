package org.jstunnel.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.util.List;

/**
 * Starting a program with a given descriptor as its stdin/stdout (and optionally stderr), as stunnel's
 * connect_local does with fork+dup2+execve. A JVM cannot fork; glibc's posix_spawn (vfork-based, safe
 * in a multi-threaded process) does the same: the child gets the descriptor on 0, 1 (and 2), every
 * other descriptor of jstunnel closed, an empty signal mask and default signal handlers.
 */
public final class Spawn {
    private Spawn() {}

    private interface C extends Library {
        int posix_spawn_file_actions_init(Pointer fa);
        int posix_spawn_file_actions_destroy(Pointer fa);
        int posix_spawn_file_actions_adddup2(Pointer fa, int fd, int newfd);
        int posix_spawn_file_actions_addclose(Pointer fa, int fd);
        int posix_spawn_file_actions_addopen(Pointer fa, int fd, String path, int oflag, int mode);
        int posix_spawn_file_actions_addclosefrom_np(Pointer fa, int from); // glibc >= 2.34
        int posix_spawnattr_init(Pointer attr);
        int posix_spawnattr_destroy(Pointer attr);
        int posix_spawnattr_setflags(Pointer attr, short flags);
        int posix_spawnattr_setsigmask(Pointer attr, Pointer set);
        int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);
        int sigemptyset(Pointer set);
        int sigfillset(Pointer set);
        int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, StringArray argv,
                        StringArray envp);
        int waitpid(int pid, IntByReference status, int options) throws LastErrorException;
        int fcntl(int fd, int cmd, int arg) throws LastErrorException;
        String strerror(int errnum);
    }

    private static final class Holder {
        static final C C = Native.load(CLibrary.NAME, C.class);
    }

    // glibc, Linux
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80; // glibc >= 2.26
    private static final int O_RDWR = 2;
    private static final int F_GETFL = 3, F_SETFL = 4, O_NONBLOCK = 0x800;
    private static final int EINTR = 4;
    // opaque glibc types, allocated generously: posix_spawn_file_actions_t is 80 bytes,
    // posix_spawnattr_t 336, sigset_t 128 on x86_64 and aarch64
    private static final int OPAQUE = 1024;

    /** A spawn failure with the errno text, e.g. {@code No such file or directory (2)}. */
    public static final class SpawnException extends IOException {
        private final int errno;

        SpawnException(String call, int errno) {
            super(call + ": " + describe(errno));
            this.errno = errno;
        }

        public int errno() { return errno; }
    }

    /** strerror in stunnel's format: {@code No such file or directory (2)}. */
    public static String describe(int errno) {
        return Holder.C.strerror(errno) + " (" + errno + ")";
    }

    /**
     * Starts {@code path} (no PATH search, as execve) with {@code argv} and {@code envp} (NAME=VALUE),
     * {@code fd} as its stdin and stdout, and as its stderr too if {@code fdAsStderr}; otherwise the
     * child's stderr is jstunnel's. The descriptor is switched to blocking mode first: a program
     * expects blocking standard descriptors.
     *
     * @return the child's pid
     */
    public static int spawn(String path, List<String> argv, List<String> envp, int fd, boolean fdAsStderr)
            throws IOException {
        setBlocking(fd);
        return spawn(path, argv, envp, fd, null, fdAsStderr);
    }

    /**
     * {@code pty = yes}: as {@link #spawn}, but the program starts a new session (setsid) and opens the
     * terminal {@code tty} as its stdin and stdout (and stderr if {@code ttyAsStderr}), so the terminal
     * becomes its controlling terminal.
     */
    public static int spawnOnTerminal(String path, List<String> argv, List<String> envp, String tty,
                                      boolean ttyAsStderr) throws IOException {
        return spawn(path, argv, envp, -1, tty, ttyAsStderr);
    }

    private static int spawn(String path, List<String> argv, List<String> envp, int fd, String tty, boolean asStderr)
            throws IOException {
        C c = Holder.C;
        Memory actions = new Memory(OPAQUE);
        Memory attr = new Memory(OPAQUE);
        Memory empty = new Memory(OPAQUE);
        Memory all = new Memory(OPAQUE);
        check("posix_spawn_file_actions_init", c.posix_spawn_file_actions_init(actions));
        try {
            check("posix_spawnattr_init", c.posix_spawnattr_init(attr));
            try {
                if (tty != null) {
                    // after setsid (glibc runs POSIX_SPAWN_SETSID before the file actions): the controlling tty
                    check("posix_spawn_file_actions_addopen", c.posix_spawn_file_actions_addopen(actions, 0, tty, O_RDWR, 0));
                    fd = 0;
                } else {
                    check("posix_spawn_file_actions_adddup2", c.posix_spawn_file_actions_adddup2(actions, fd, 0));
                }
                check("posix_spawn_file_actions_adddup2", c.posix_spawn_file_actions_adddup2(actions, fd, 1));
                if (asStderr)
                    check("posix_spawn_file_actions_adddup2", c.posix_spawn_file_actions_adddup2(actions, fd, 2));
                closeTheRest(c, actions);
                c.sigemptyset(empty);
                c.sigfillset(all);
                check("posix_spawnattr_setsigmask", c.posix_spawnattr_setsigmask(attr, empty));
                check("posix_spawnattr_setsigdefault", c.posix_spawnattr_setsigdefault(attr, all));
                check("posix_spawnattr_setflags",
                    c.posix_spawnattr_setflags(attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
                        | (tty != null ? POSIX_SPAWN_SETSID : 0))));
                IntByReference pid = new IntByReference();
                int err = c.posix_spawn(pid, path, actions, attr,
                    new StringArray(argv.toArray(String[]::new)), new StringArray(envp.toArray(String[]::new)));
                if (err != 0) throw new SpawnException("execve", err);
                return pid.getValue();
            } finally {
                c.posix_spawnattr_destroy(attr);
            }
        } finally {
            c.posix_spawn_file_actions_destroy(actions);
        }
    }

    /** Every descriptor from 3 up is closed in the child (sockets of other connections, listeners). */
    private static void closeTheRest(C c, Pointer actions) throws IOException {
        try {
            check("posix_spawn_file_actions_addclosefrom_np", c.posix_spawn_file_actions_addclosefrom_np(actions, 3));
            return;
        } catch (UnsatisfiedLinkError olderGlibc) {
            // glibc < 2.34: name the open descriptors one by one (glibc ignores EBADF on close actions)
        }
        java.io.File[] fds = new java.io.File("/proc/self/fd").listFiles();
        if (fds == null) return;
        for (java.io.File f : fds) {
            int n;
            try {
                n = Integer.parseInt(f.getName());
            } catch (NumberFormatException e) {
                continue;
            }
            if (n > 2) check("posix_spawn_file_actions_addclose", c.posix_spawn_file_actions_addclose(actions, n));
        }
    }

    private static void setBlocking(int fd) throws IOException {
        try {
            int flags = Holder.C.fcntl(fd, F_GETFL, 0);
            if ((flags & O_NONBLOCK) != 0) Holder.C.fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        } catch (LastErrorException e) {
            throw new SpawnException("fcntl", e.getErrorCode());
        }
    }

    private static void check(String call, int err) throws IOException {
        if (err != 0) throw new SpawnException(call, err);
    }

    /**
     * Waits for the child to end (blocking this thread) and reaps it.
     * @return the raw wait status
     */
    public static int waitFor(int pid) throws IOException {
        IntByReference status = new IntByReference();
        while (true) {
            try {
                Holder.C.waitpid(pid, status, 0);
                return status.getValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) throw new SpawnException("waitpid", e.getErrorCode());
            }
        }
    }

    /** stunnel's status_info: {@code finished with code N} or {@code terminated on SIGNAME}. */
    public static String describeStatus(int status) {
        int signal = status & 0x7f;
        if (signal != 0 && signal != 0x7f) return "terminated on " + signalName(signal);
        return "finished with code " + ((status >> 8) & 0xff);
    }

    private static final String[] SIGNALS = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
        "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    /** stunnel's signal_name: {@code SIGTERM}, or {@code signal N} for one it does not name. */
    public static String signalName(int signal) {
        if (signal > 0 && signal < SIGNALS.length) return SIGNALS[signal];
        return "signal " + signal;
    }
}
