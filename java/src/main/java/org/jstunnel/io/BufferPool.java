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
    /**
     * Ciphertext: a read from the TLS socket, or the records a batch of SSL_write calls produced.
     * Four full TLS records (4 × (16 KiB + 22)) fit, so a {@link #PLAIN} buffer goes out in one write.
     */
    public static final BufferPool NET = new BufferPool(68 * 1024, 128);
    /**
     * Plaintext: four TLS records' worth. Moving 64 KiB per system call instead of one 16 KiB record
     * cuts the syscalls and loopback packets per byte by four (docs/performance.md, scenario 3).
     */
    public static final BufferPool PLAIN = new BufferPool(64 * 1024, 128);

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
