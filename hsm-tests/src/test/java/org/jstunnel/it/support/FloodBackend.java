package org.jstunnel.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Reads a short request, then writes payload bytes until the path to the client is full (no write
 * progress for {@link #STALL}) and closes at once. Everything it managed to write is queued in the
 * tunnel and socket buffers when its FIN arrives; the tunnel must still deliver all of it.
 * {@link TcpBackend.Conn#sent()} is exactly what the client must receive.
 */
public final class FloodBackend extends TcpBackend {
    /** No write progress for this long means every buffer on the way is full. */
    public static final Duration STALL = Duration.ofMillis(500);
    /** Upper bound, for a tunnel that buffers without limit. */
    public static final long MAX_BYTES = 64L << 20;

    private final int requestSize;
    private final long seed;

    public FloodBackend(int requestSize, long seed) {
        super("flood");
        this.requestSize = requestSize;
        this.seed = seed;
    }

    @Override
    protected void serve(Socket s, Conn conn) throws IOException {
        InputStream in = s.getInputStream();
        byte[] req = new byte[requestSize];
        int got = 0;
        while (got < requestSize) {
            int n = in.read(req, got, requestSize - got);
            if (n < 0) {
                conn.eof();
                break;
            }
            got += n;
        }
        conn.receivedBuilder().update(req, 0, got);

        // the reply is a prefix of Payload(MAX_BYTES, seed): generate it through a pipe of chunks
        SocketChannel ch = s.getChannel();
        ch.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(0);
        java.util.Iterator<byte[]> chunks = new Payload(MAX_BYTES, seed).chunks();
        long lastProgress = System.nanoTime();
        Deadline overall = Deadline.after(Timeouts.TRANSFER);
        while (!overall.expired()) {
            if (!chunk.hasRemaining()) {
                if (!chunks.hasNext()) {
                    break;
                }
                chunk = ByteBuffer.wrap(chunks.next());
            }
            int pos = chunk.position();
            int n = ch.write(chunk);
            if (n > 0) {
                conn.sentBuilder().update(chunk.array(), pos, n);
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                break;
            } else {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        ch.configureBlocking(true);
        OutputStream out = s.getOutputStream();
        out.flush();
        s.shutdownOutput();
    }
}
