package org.jstunnel.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A plain TCP client of a tunnel's accept port. */
public final class PlainClient {
    private PlainClient() {
    }

    public static Socket connect(int port) {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(Ports.LOOPBACK, port), (int) Timeouts.LOG_LINE.toMillis());
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + Ports.loopback(port), e);
        }
    }

    /** Sends {@code payload}, half-closes, reads to EOF. */
    public static Exchange exchange(int port, Payload payload) {
        return Exchange.run(connect(port), payload);
    }

    public static Exchange exchange(int port, byte[] data) {
        return Exchange.run(connect(port), data);
    }
}
