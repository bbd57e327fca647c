package org.jstunnel.os;

/** Signal plumbing the JVM does not allow from Java (libjstunnel). */
public final class NativeSignals {
    private NativeSignals() {}

    public static final int SIGQUIT = 3;
    public static final int SIGTERM = 15;

    /** Makes signal {@code from} raise signal {@code to} instead; false if sigaction failed. */
    public static native boolean forward(int from, int to);
}
