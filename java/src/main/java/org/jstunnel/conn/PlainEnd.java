package org.jstunnel.conn;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ByteChannel;

/**
 * One end of a connection as a byte stream, before or without TLS: an accepted or connected socket
 * ({@link SocketEnd}), the socket pair of an {@code exec} program, or inetd mode's stdin/stdout
 * ({@link StdioEnd}). The TLS side reads and writes it as a {@link ByteChannel} too.
 *
 * <p>Reads and writes take direct buffers; a socket end passes them to the kernel without a copy.
 * One thread may read while another writes.
 */
public interface PlainEnd extends ByteChannel {
    /** Half-close: no more bytes will be written (shutdown(SHUT_WR), or closing a pipe's write end). */
    void shutdownOutput() throws IOException;

    /**
     * Closes, never throwing. {@code reset}: end a TCP connection with RST (SO_LINGER 0), as stunnel's
     * {@code reset = yes} after an error; ignored where there is no RST (pipes, Unix sockets).
     */
    void close(boolean reset);

    @Override
    default void close() { close(false); }

    /** The peer's address (getpeername) if this end is a socket; null otherwise. */
    SocketAddress peerAddress();

    /** This end's own address (getsockname) if it is a socket; null otherwise. */
    SocketAddress localAddress();

    /** Whether this end is a socket (stunnel's is_socket): only sockets get a reset. */
    default boolean isSocket() { return peerAddress() != null; }
}
