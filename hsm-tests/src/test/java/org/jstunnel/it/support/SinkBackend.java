package org.jstunnel.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Records what it receives (up to {@code expect} bytes, or to EOF), then answers with a different
 * payload and closes: the two directions carry different byte counts, so swapped counters show.
 */
public final class SinkBackend extends TcpBackend {
    private final long expect;
    private final Payload reply;

    public SinkBackend(long expect, Payload reply) {
        super("sink");
        this.expect = expect;
        this.reply = reply;
    }

    @Override
    protected void serve(Socket s, Conn conn) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        while (conn.receivedBuilder().count() < expect) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, expect - conn.receivedBuilder().count()));
            if (n < 0) {
                conn.eof();
                break;
            }
            conn.receivedBuilder().update(buf, 0, n);
        }
        OutputStream out = s.getOutputStream();
        reply.writeTo(new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                conn.sentBuilder().update(b, off, len);
            }
        });
        s.shutdownOutput();
    }
}
