package org.jstunnel.it.protocol.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Lines and bytes over a test socket, plain or (after {@link #startTls}) TLS; reads are unbuffered. */
public final class Wire {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public Wire(Socket socket) throws IOException {
        use(socket);
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    public Socket socket() { return socket; }

    /** A line without CR LF; null at end of stream before any byte. */
    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 65536; i++) {
            int c = in.read();
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            if (c == '\n') return b.toString(StandardCharsets.ISO_8859_1);
            if (c != '\r') b.write(c);
        }
        throw new IOException("line too long");
    }

    public String expectLine() throws IOException {
        String l = readLine();
        if (l == null) throw new EOFException("peer closed");
        return l;
    }

    public byte[] read(int n) throws IOException {
        return in.readNBytes(n);
    }

    public void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    public void write(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    public void line(String l) throws IOException {
        write(l + "\r\n");
    }

    /** Everything until the peer closes (bounded by the socket's read timeout). */
    public String readAll() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** As {@link #readAll}, but a reset reads as the end ("" when nothing came). */
    public String readAllQuietly() throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            for (int c; b.size() < 1 << 20 && (c = in.read()) >= 0; ) b.write(c);
        } catch (java.net.SocketException reset) {
            // stunnel resets after some errors
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Layers TLS over the socket: {@code server} side or client side, then continues over TLS. */
    public Wire startTls(SSLContext ctx, boolean server) throws IOException {
        SSLSocket t = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        t.setUseClientMode(!server);
        t.startHandshake();
        use(t);
        return this;
    }
}
