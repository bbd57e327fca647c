package org.jstunnel.io;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers lent to connections only while bytes are in flight, so an idle connection holds
 * none (stunnel's idle cost is a thread stack; ours should be far smaller). Allocating a direct
 * buffer is slow (zeroing, a Cleaner), hence reuse; at most {@code maxIdle} are kept.
 */
public final class BufferPool {
    /** Ciphertext: a read from the TLS socket, or the records one SSL call produced. */
    public static final BufferPool NET = new BufferPool(64 * 1024, 256);
    /** Plaintext: one TLS record's worth. */
    public static final BufferPool PLAIN = new BufferPool(16 * 1024, 512);

    private final int size;
    private final int maxIdle;
    private final ConcurrentLinkedDeque<ByteBuffer> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    public BufferPool(int size, int maxIdle) {
        this.size = size;
        this.maxIdle = maxIdle;
    }

    public int bufferSize() { return size; }

    /** A cleared buffer of {@link #bufferSize()} bytes. */
    public ByteBuffer acquire() {
        ByteBuffer b = idle.pollFirst();
        if (b == null) return ByteBuffer.allocateDirect(size);
        idleCount.decrementAndGet();
        return b.clear();
    }

    /** Gives a buffer back; the caller must not touch it afterwards. Null is ignored. */
    public void release(ByteBuffer b) {
        if (b == null || b.capacity() != size) return;
        if (idleCount.incrementAndGet() > maxIdle) {
            idleCount.decrementAndGet();
            return; // let the GC's Cleaner free it
        }
        idle.offerFirst(b); // LIFO: the warmest buffer goes out next
    }
}
