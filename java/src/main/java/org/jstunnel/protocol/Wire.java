package org.jstunnel.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jstunnel.log.Log;

/**
 * One side of a negotiation as blocking lines and blocks (stunnel's fd_getline/fd_putline/s_read and
 * their ssl_ twins). Lines end at LF (a CR is dropped, a NUL also ends them), at most 64 KiB
 * ("fd_getline: Line too long"); a peer that closes in the middle of a block is stunnel's
 * "s_read: Received N out of requested M byte(s)". Every line read or written is logged at debug
 * level as {@code " <- line"} / {@code " -> line"}.
 */
public abstract class Wire {
    /** stunnel's DoS limit for one line. */
    static final int MAX_LINE = 65536;

    private final String prefix; // "fd" or "ssl" (fd_getline / ssl_getline)
    private final String readName; // "s_read" or "s_ssl_read"

    Wire(String prefix, String readName) {
        this.prefix = prefix;
        this.readName = readName;
    }

    /** Reads up to {@code len} bytes (at least one), -1 at end of stream. */
    protected abstract int readSome(byte[] b, int off, int len) throws IOException;

    /** Writes all of {@code b}. */
    public abstract void write(byte[] b) throws IOException;

    /** Exactly {@code n} bytes, or the connection fails with a reset. */
    public byte[] read(int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r = readSome(b, got, n - got);
            if (r < 0) {
                throw NegotiationFailed.reset(readName + ": Received " + got + " out of requested " + n + " byte(s)");
            }
            got += r;
        }
        return b;
    }

    /** Up to {@code b.length} bytes, fewer at end of stream (stunnel's s_read_eof). */
    public int readUpTo(byte[] b) throws IOException {
        int got = 0;
        while (got < b.length) {
            int r = readSome(b, got, b.length - got);
            if (r < 0) break;
            got += r;
        }
        return got;
    }

    public int readByte() throws IOException {
        return read(1)[0] & 0xff;
    }

    /** One line without its CR LF (fd_getline, ssl_getline). */
    public String getline() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        byte[] one = new byte[1];
        while (true) {
            if (line.size() > MAX_LINE) throw NegotiationFailed.reset(prefix + "_getline: Line too long");
            int r = readSome(one, 0, 1);
            if (r < 0) {
                throw NegotiationFailed.reset(readName + ": Received 0 out of requested 1 byte(s)");
            }
            if (one[0] == '\r') continue;
            if (one[0] == '\n' || one[0] == 0) break;
            line.write(one[0]);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        Log.debug(" <- " + s);
        return s;
    }

    /** A NUL-terminated string (ssl_getstring: SOCKS 4 user ids and host names); not logged. */
    public String getstring() throws IOException {
        ByteArrayOutputStream s = new ByteArrayOutputStream(32);
        while (true) {
            if (s.size() > MAX_LINE) throw NegotiationFailed.reset(prefix + "_getstring: Line too long");
            int c = readByte();
            if (c == 0) return s.toString(StandardCharsets.ISO_8859_1);
            s.write(c);
        }
    }

    /** {@code line} and CR LF (fd_putline, ssl_putline). */
    public void putline(String line) throws IOException {
        write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        Log.debug(" -> " + line);
    }

    /** As {@link #putline}, but the line is logged as {@code shown} (it carries a secret). */
    public void putSecretLine(String line, String shown) throws IOException {
        write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        Log.debug(" -> " + shown);
    }

    /** Whether the peer sent something (or closed) within {@code millis}; without a socket: false. */
    public abstract boolean readableWithin(int millis) throws IOException;

    /**
     * Drops what the peer already sent and this side has not asked for yet: plaintext pipelined
     * behind a STARTTLS exchange must never reach the TLS stream. Returns the number of bytes dropped.
     */
    public abstract int discardPending() throws IOException;
}
