package org.jstunnel.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of an in-memory, blocking byte pipe pair: what one end writes, the other reads. Stands in
 * for the TCP socket under {@code SslConnection}, so the benchmark runs jstunnel's own record path
 * (locks, memory BIOs, direct buffers) without the kernel. A read that finds nothing waits at most
 * 10 s, then fails: nothing here can hang.
 */
final class MemChannel implements ByteChannel {
    private final ReentrantLock lock;
    private final Condition readable;
    private final ByteBuffer inbound;   // written by the peer, read by us; kept in write mode
    private MemChannel peer;

    private MemChannel(ReentrantLock lock, int capacity) {
        this.lock = lock;
        this.readable = lock.newCondition();
        this.inbound = ByteBuffer.allocateDirect(capacity);
    }

    static MemChannel[] pair(int capacity) {
        ReentrantLock lock = new ReentrantLock();
        MemChannel a = new MemChannel(lock, capacity), b = new MemChannel(lock, capacity);
        a.peer = b;
        b.peer = a;
        return new MemChannel[] {a, b};
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (inbound.position() == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new IOException("MemChannel: nothing to read for 10 s");
                readable.awaitNanos(left);
            }
            inbound.flip();
            int n = Math.min(dst.remaining(), inbound.remaining());
            ByteBuffer slice = inbound.slice(inbound.position(), n);
            dst.put(slice);
            inbound.position(inbound.position() + n);
            inbound.compact();
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        lock.lock();
        try {
            ByteBuffer in = peer.inbound;
            int n = src.remaining();
            if (n > in.remaining()) throw new IOException("MemChannel: peer buffer full (" + in.capacity() + " bytes)");
            in.put(src);
            peer.readable.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes written by the peer and not read yet. */
    int pending() {
        lock.lock();
        try {
            return inbound.position();
        } finally {
            lock.unlock();
        }
    }

    @Override public boolean isOpen() { return true; }
    @Override public void close() {}
}
