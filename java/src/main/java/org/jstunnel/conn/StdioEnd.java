package org.jstunnel.conn;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import org.jstunnel.os.Poll;

/**
 * Inetd mode's connection when stdin and stdout are not a socket (pipes, a terminal, files): reads
 * from descriptor 0, writes to descriptor 1, through direct buffers. There is no peer address and no
 * reset. A write descriptor that is not a socket cannot be half-closed: as stunnel ("Closing the
 * file descriptor"), the end of the other direction ends this one too, so stdout is closed and
 * stdin reads as ended.
 *
 * <p>Both descriptors are made non-blocking, as stunnel's inetd mode does: a read blocked in the
 * kernel on a pipe could not be ended by closing it (a timeout, or the other direction failing),
 * so reads and writes that would block wait in {@link Poll} a little at a time instead.
 */
public final class StdioEnd implements PlainEnd {
    private static final int IN = 0, OUT = 1;
    private static final int POLL_MILLIS = 200;

    private final FileChannel in;
    private final FileChannel out;
    private volatile boolean inClosed;
    private volatile boolean outClosed;
    private volatile boolean finished; // shutdownOutput: no more reading either

    private StdioEnd(FileChannel in, FileChannel out) {
        this.in = in;
        this.out = out;
    }

    /** Descriptors 0 and 1 of this process. */
    public static StdioEnd standard() throws IOException {
        Poll.setNonBlocking(IN);
        Poll.setNonBlocking(OUT);
        return new StdioEnd(new FileInputStream(FileDescriptor.in).getChannel(),
            new FileOutputStream(FileDescriptor.out).getChannel());
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (true) {
            if (inClosed) throw new AsynchronousCloseException();
            if (finished) return -1;
            int n = in.read(dst);
            if (n != 0 || !dst.hasRemaining()) return n;
            Poll.await(IN, Poll.POLLIN, POLL_MILLIS); // nothing there yet (EAGAIN)
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        while (true) {
            if (outClosed) throw new AsynchronousCloseException();
            int n = out.write(src);
            if (n != 0 || !src.hasRemaining()) return n;
            Poll.await(OUT, Poll.POLLOUT, POLL_MILLIS); // the pipe is full (EAGAIN)
        }
    }

    @Override public boolean isOpen() { return !inClosed || !outClosed; }

    @Override
    public void shutdownOutput() throws IOException {
        org.jstunnel.log.Log.debug("Closing the file descriptor");
        finished = true; // a reader waiting in poll sees it within POLL_MILLIS
        outClosed = true;
        out.close();
    }

    @Override
    public void close(boolean reset) {
        // flags first: a reader or writer waiting in poll sees them within POLL_MILLIS and stops
        // touching the descriptors, so closing the channels never waits for a blocked call
        inClosed = true;
        outClosed = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // closing: nothing left to lose
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // closing: nothing left to lose
        }
    }

    @Override public SocketAddress peerAddress() { return null; }
    @Override public SocketAddress localAddress() { return null; }
}
