package org.jstunnel.os;

/**
 * stunnel's signal pipe (libjstunnel): handlers installed with sigaction write the signal number to
 * a pipe; {@link #next} reads it on a platform thread. Not through the JVM: the launcher leaves HUP,
 * USR1 and USR2 ignored until these handlers replace that, and the JVM keeps QUIT for itself.
 */
public final class NativeSignals {
    private NativeSignals() {}

    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGUSR1 = 10, SIGUSR2 = 12, SIGTERM = 15;

    /** Creates the pipe (once); its read end, or -1. */
    public static native int openPipe();

    /**
     * Catches {@code signo} into the pipe: 1 done, 0 left alone because it is ignored and
     * {@code unlessIgnored} (stunnel keeps an ignored TERM, QUIT or INT ignored), -1 failed.
     */
    public static native int catchSignal(int signo, boolean unlessIgnored);

    /** Back to the default action (inetd mode: stunnel installs no handlers there). */
    public static native boolean defaultAction(int signo);

    /** Blocks until a signal arrives; its number, or -1 if the pipe failed. */
    public static native int next(int readFd);

    public static String name(int signo) {
        return switch (signo) {
            case SIGHUP -> "HUP";
            case SIGINT -> "INT";
            case SIGQUIT -> "QUIT";
            case SIGUSR1 -> "USR1";
            case SIGUSR2 -> "USR2";
            case SIGTERM -> "TERM";
            default -> "SIG" + signo;
        };
    }
}
