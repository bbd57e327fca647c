package org.jstunnel.it.tls.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.jstunnel.it.support.TcpBackend;

/** Greets every connection with {@code TAG\n}, then reads until EOF: shows which backend a tunnel chose. */
public final class BannerBackend extends TcpBackend {
    private final String tag;

    public BannerBackend(String tag) {
        super("banner-" + tag);
        this.tag = tag;
    }

    @Override
    protected void serve(Socket s, Conn conn) throws IOException {
        s.getOutputStream().write((tag + "\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (in.read(buf) > 0) {
            // discard
        }
        s.shutdownOutput();
    }
}
