package org.jstunnel.it.support;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Byte count plus SHA-256 of a stream: what was sent or received, compared with equals. */
public record Digest(long count, String sha256) {

    @Override
    public String toString() {
        return count + " B sha256=" + sha256;
    }

    /** Accumulates bytes; safe for one writer thread with readers calling {@link #count()}. */
    public static final class Builder {
        private final MessageDigest md;
        private volatile long count;

        public Builder() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }

        public synchronized void update(byte[] b, int off, int len) {
            md.update(b, off, len);
            count += len;
        }

        public long count() {
            return count;
        }

        public synchronized Digest build() {
            try {
                MessageDigest copy = (MessageDigest) md.clone();
                return new Digest(count, HexFormat.of().formatHex(copy.digest()));
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        public OutputStream asOutputStream() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    update(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    update(b, off, len);
                }
            };
        }
    }
}
