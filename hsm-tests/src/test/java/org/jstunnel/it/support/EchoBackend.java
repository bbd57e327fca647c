package org.jstunnel.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;

/**
 * Echoes every byte back until the peer's EOF, only then closes its own side: a connection that
 * ends cleanly with everything echoed proves the tunnel forwarded a half-close (FIN) and kept
 * delivering the other direction.
 */
public final class EchoBackend extends TcpBackend {
    private final Duration closeDelay;

    public EchoBackend() {
        this(Duration.ZERO);
    }

    /**
     * Waits {@code closeDelay} between the peer's EOF and closing. Only for a stunnel 5.68 peer on the
     * server side: it drops data still queued from the backend when the backend's FIN arrives while its
     * TLS side is congested (POLLHUP taken as EOF without FIONREAD; fixed in later stunnel releases).
     */
    public EchoBackend(Duration closeDelay) {
        super("echo");
        this.closeDelay = closeDelay;
    }

    @Override
    protected void serve(Socket s, Conn conn) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            conn.receivedBuilder().update(buf, 0, n);
            out.write(buf, 0, n);
            conn.sentBuilder().update(buf, 0, n);
        }
        conn.eof();
        out.flush();
        if (!closeDelay.isZero()) {
            try {
                Thread.sleep(closeDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        s.shutdownOutput();
    }
}
