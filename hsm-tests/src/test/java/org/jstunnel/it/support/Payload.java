package org.jstunnel.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * A deterministic pseudo-random payload of {@code size} bytes, generated in chunks on demand so that
 * even 64 MiB never sits in memory; {@link #digest()} is what a receiver must arrive at.
 */
public record Payload(long size, long seed) {
    private static final int CHUNK = 64 * 1024;

    public static Payload of(long size) {
        return new Payload(size, 0x5eed_0000L + size);
    }

    public void writeTo(OutputStream out) throws IOException {
        java.util.Iterator<byte[]> it = chunks();
        while (it.hasNext()) {
            out.write(it.next());
        }
        out.flush();
    }

    /** The payload as consecutive chunks (the last one cut to size). */
    public java.util.Iterator<byte[]> chunks() {
        SplittableRandom rnd = new SplittableRandom(seed);
        return new java.util.Iterator<>() {
            private long left = size;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public byte[] next() {
                if (left <= 0) {
                    throw new java.util.NoSuchElementException();
                }
                byte[] buf = new byte[CHUNK];
                rnd.nextBytes(buf);
                int n = (int) Math.min(CHUNK, left);
                left -= n;
                return n == CHUNK ? buf : java.util.Arrays.copyOf(buf, n);
            }
        };
    }

    /** The count and SHA-256 of the whole payload. */
    public Digest digest() {
        Digest.Builder d = new Digest.Builder();
        try {
            writeTo(d.asOutputStream());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return d.build();
    }

    public byte[] bytes() {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("too large for an array: " + size);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) size);
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return size + " B";
    }
}
