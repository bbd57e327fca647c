package org.jstunnel;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import org.jstunnel.conn.Connection;
import org.jstunnel.conn.PlainEnd;
import org.jstunnel.conn.SocketEnd;
import org.jstunnel.conn.StdioEnd;
import org.jstunnel.log.Log;
import org.jstunnel.service.Service;

/**
 * Inetd mode (a configuration without [sections], ui_unix.c): inetd, xinetd or tcpserver accepted
 * the connection and hands it over as stdin/stdout. jstunnel serves that one connection with the
 * global section's service options, then exits 0. stdin/stdout may be a socket (the usual case:
 * {@link System#inheritedChannel()}) or anything else (pipes: read 0, write 1).
 */
final class InetdMode {
    private InetdMode() {}

    static int serve(Service service) {
        try {
            PlainEnd end = standardDescriptors();
            Connection c = new Connection(service, end);
            Thread t = Thread.ofVirtual().name("jstunnel-inetd").start(c);
            t.join();
            c.awaitFinished(); // the transfer goes on past the connection's first thread
        } catch (IOException e) {
            Log.err("Inetd mode: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            service.stop();
            Log.close();
        }
        return 0; // stunnel's inetd mode exits 0 whatever happened to the connection
    }

    private static PlainEnd standardDescriptors() throws IOException {
        Channel inherited = System.inheritedChannel();
        if (inherited instanceof SocketChannel socket) return new SocketEnd(socket);
        if (inherited != null) { // a listening or datagram socket: not a connection
            inherited.close();
            throw new IOException("stdin is not a connected stream socket");
        }
        return StdioEnd.standard();
    }
}
