package org.jstunnel.it.attach.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jstunnel.it.support.TcpBackend;

/**
 * A backend behind {@code protocol = proxy}: records the first line (up to CRLF, without it) of
 * every connection, the PROXY header, then echoes the rest until EOF.
 */
public final class HeaderBackend extends TcpBackend {
    private final List<String> headers = new CopyOnWriteArrayList<>();

    public HeaderBackend() {
        super("proxy-header");
    }

    /** The first lines received, in connection order. */
    public List<String> headers() {
        return List.copyOf(headers);
    }

    @Override
    protected void serve(Socket s, Conn conn) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        int b;
        while ((b = in.read()) >= 0 && line.size() < 200) { // PROXY v1 lines are at most 107 bytes
            if (prev == '\r' && b == '\n') break;
            if (prev >= 0) line.write(prev);
            prev = b;
        }
        headers.add(line.toString(StandardCharsets.US_ASCII));
        in.transferTo(out);
        s.shutdownOutput();
    }
}
