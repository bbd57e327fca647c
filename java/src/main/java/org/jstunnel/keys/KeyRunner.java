package org.jstunnel.keys;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform threads that run the handshake steps which use one token's keys, so that a token call
 * never holds one of the few carrier threads virtual threads run on. As many threads as the token
 * serves sessions (more would only queue inside the PKCS#11 library), a bounded queue in front of
 * them, and a deadline per call: a call that misses it fails its handshake; a call that hangs costs
 * one thread until the token returns, never the proxy.
 */
public final class KeyRunner {
    /** Queued steps per thread before new handshakes are refused rather than queued. */
    private static final int QUEUE_PER_THREAD = 64;

    private final String token;
    private final int threads;
    private final Duration deadline;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger maxBusy = new AtomicInteger();

    KeyRunner(String token, int threads, Duration deadline) {
        this.token = token;
        this.threads = threads;
        this.deadline = deadline;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD),
            r -> Thread.ofPlatform().daemon().name("key-runner-" + n.incrementAndGet()).unstarted(r));
        pool.allowCoreThreadTimeOut(true); // idle runners (and those of a runner a reload replaced) go away
    }

    /** Describes the token in log lines, e.g. {@code token "web"}. */
    public String token() { return token; }

    public int threads() { return threads; }

    public Duration deadline() { return deadline; }

    /** Steps running now, and the most seen at once. */
    public int busy() { return busy.get(); }

    public int maxBusy() { return maxBusy.get(); }

    /** Queues a step; false when the queue is full (the token is far behind: the handshake fails). */
    boolean submit(Runnable step) {
        try {
            pool.execute(() -> {
                maxBusy.accumulateAndGet(busy.incrementAndGet(), Math::max);
                try {
                    step.run();
                } finally {
                    busy.decrementAndGet();
                }
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }
}
