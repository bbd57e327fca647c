package org.jstunnel.it.support;

import java.time.Duration;

/** A point in time after which a bounded wait gives up. */
public final class Deadline {
    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    public static Deadline after(Duration d) {
        return new Deadline(System.nanoTime() + d.toNanos());
    }

    public boolean expired() {
        return System.nanoTime() - endNanos >= 0;
    }

    public long remainingMillis() {
        return Math.max(0, (endNanos - System.nanoTime()) / 1_000_000);
    }

    /** Sleeps one poll interval (or less, if the deadline is closer). */
    public void pause() {
        try {
            Thread.sleep(Math.max(1, Math.min(Timeouts.POLL.toMillis(), remainingMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
