package org.jstunnel.os;

import org.jstunnel.ssl.NativeLibrary;

/** syslog(3), openlog(3), closelog(3) from libjstunnel: one native per C call. */
public final class NativeSyslog {
    private NativeSyslog() {}

    static {
        NativeLibrary.load();
    }

    public static final int LOG_PID = 0x01, LOG_NDELAY = 0x08;

    /** The C library keeps its own copy of {@code ident} until the next openlog. */
    public static native void openlog(String ident, int option, int facility);

    /** {@code message} goes through a "%s" format: never interpreted. */
    public static native void syslog(int priority, String message);

    public static native void closelog();
}
