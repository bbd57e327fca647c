package org.jstunnel.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports. Prefer {@code accept = 127.0.0.1:0} and the port from the log; this is only for
 * the cases that need a fixed port known in advance (a reload must see the same port twice).
 */
public final class Ports {
    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /** A port that was free a moment ago (the kernel hands out ephemeral ports round-robin, so reuse is unlikely). */
    public static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String loopback(int port) {
        return LOOPBACK + ":" + port;
    }
}
