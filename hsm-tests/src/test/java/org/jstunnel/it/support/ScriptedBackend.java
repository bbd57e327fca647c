package org.jstunnel.it.support;

import java.io.IOException;
import java.net.Socket;

/** A backend whose behaviour per connection is given by the test (answer, half-close, reset, ...). */
public final class ScriptedBackend extends TcpBackend {
    /** What the backend does with one accepted connection. */
    @FunctionalInterface
    public interface Script {
        void serve(Socket s, Conn conn) throws IOException;
    }

    private final Script script;

    public ScriptedBackend(Script script) {
        super("scripted");
        this.script = script;
    }

    @Override
    protected void serve(Socket s, Conn conn) throws IOException {
        script.serve(s, conn);
    }

    /** Reads until an empty line ("\n\n") or EOF; returns the bytes read. */
    public static byte[] readRequest(Socket s) throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        java.io.InputStream in = s.getInputStream();
        int c, prev = -1;
        while ((c = in.read()) >= 0) {
            got.write(c);
            if (c == '\n' && prev == '\n') break;
            prev = c;
        }
        return got.toByteArray();
    }

    /** Closes with a TCP RST (SO_LINGER 0) instead of a FIN. */
    public static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }
}
