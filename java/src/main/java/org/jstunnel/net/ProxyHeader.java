package org.jstunnel.net;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An inbound PROXY protocol header (HAProxy's proxy-protocol.txt), version 1 (text) or 2 (binary),
 * read byte-exactly from the start of a connection so nothing after it (the ClientHello) is consumed.
 * The addresses it carries, or null for a v2 LOCAL command (a balancer's health check) or v1 UNKNOWN.
 */
public final class ProxyHeader {
    public record Addresses(InetSocketAddress source, InetSocketAddress destination) { }

    /** The header is missing or malformed: the connection is closed. */
    public static final class BadHeaderException extends IOException {
        private static final long serialVersionUID = 1L;

        BadHeaderException(String message) { super(message); }
    }

    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V1_MAX = 107; // "PROXY TCP6 " + two full IPv6 addresses + ports + CRLF
    private static final int V2_MAX_BODY = 2048; // addresses (at most 216 for AF_UNIX) plus TLVs

    private ProxyHeader() {}

    /** Reads one header; {@code v1}/{@code v2} say which versions are accepted. */
    public static Addresses read(ReadableByteChannel ch, boolean v1, boolean v2) throws IOException {
        // 12 bytes: v2's signature, and less than v1's shortest header ("PROXY UNKNOWN\r\n")
        byte[] start = readFully(ch, 12);
        if (Arrays.equals(start, V2_SIGNATURE)) {
            if (!v2) throw new BadHeaderException("PROXY protocol v2 header not accepted here");
            return v2Body(ch);
        }
        if (new String(start, 0, 6, StandardCharsets.US_ASCII).equals("PROXY ")) {
            if (!v1) throw new BadHeaderException("PROXY protocol v1 header not accepted here");
            return v1Rest(ch, start);
        }
        throw new BadHeaderException("no PROXY protocol header");
    }

    private static Addresses v1Rest(ReadableByteChannel ch, byte[] start) throws IOException {
        StringBuilder line = new StringBuilder(new String(start, StandardCharsets.US_ASCII));
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!(line.length() >= 2 && line.charAt(line.length() - 2) == '\r' && line.charAt(line.length() - 1) == '\n')) {
            if (line.length() >= V1_MAX) throw new BadHeaderException("PROXY v1 header longer than 107 bytes");
            one.clear();
            if (ch.read(one) < 0) throw new EOFException("connection closed inside the PROXY header");
            if (one.position() == 1) line.append((char) (one.get(0) & 0xff));
        }
        String[] f = line.substring(0, line.length() - 2).split(" ", -1);
        if (f.length >= 2 && f[1].equals("UNKNOWN")) return null;
        if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6")))
            throw new BadHeaderException("malformed PROXY v1 header");
        boolean six = f[1].equals("TCP6");
        return new Addresses(v1Address(f[2], f[4], six), v1Address(f[3], f[5], six));
    }

    private static InetSocketAddress v1Address(String host, String port, boolean six) throws BadHeaderException {
        // a literal only: InetAddress.getByName would resolve a name
        boolean literal = six ? host.indexOf(':') >= 0 && host.matches("[0-9a-fA-F:.]+")
                : host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!literal || !port.matches("\\d{1,5}")) throw new BadHeaderException("malformed PROXY v1 address");
        int p = Integer.parseInt(port);
        if (p > 65535) throw new BadHeaderException("malformed PROXY v1 port");
        try {
            InetAddress a = InetAddress.getByName(host);
            if ((a instanceof java.net.Inet6Address) != six) throw new BadHeaderException("PROXY v1 address family mismatch");
            return new InetSocketAddress(a, p);
        } catch (UnknownHostException e) {
            throw new BadHeaderException("malformed PROXY v1 address");
        }
    }

    private static Addresses v2Body(ReadableByteChannel ch) throws IOException {
        byte[] h = readFully(ch, 4);
        int version = (h[0] & 0xf0) >> 4, command = h[0] & 0x0f;
        int family = (h[1] & 0xff);
        int len = ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        if (version != 2 || command > 1) throw new BadHeaderException("malformed PROXY v2 header");
        if (len > V2_MAX_BODY) throw new BadHeaderException("PROXY v2 header too long");
        byte[] body = readFully(ch, len);
        if (command == 0) return null; // LOCAL: the balancer's own connection
        return switch (family) {
            case 0x11 -> { // TCP over IPv4
                if (len < 12) throw new BadHeaderException("short PROXY v2 IPv4 addresses");
                yield new Addresses(v2Address(body, 0, 4, 8), v2Address(body, 4, 4, 10));
            }
            case 0x21 -> { // TCP over IPv6
                if (len < 36) throw new BadHeaderException("short PROXY v2 IPv6 addresses");
                yield new Addresses(v2Address(body, 0, 16, 32), v2Address(body, 16, 16, 34));
            }
            default -> null; // UNSPEC, UDP, Unix: keep the socket's own addresses, as UNKNOWN
        };
    }

    private static InetSocketAddress v2Address(byte[] b, int at, int n, int portAt) throws BadHeaderException {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(b, at, at + n)),
                ((b[portAt] & 0xff) << 8) | (b[portAt + 1] & 0xff));
        } catch (UnknownHostException e) {
            throw new BadHeaderException("malformed PROXY v2 address");
        }
    }

    private static byte[] readFully(ReadableByteChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw new EOFException("connection closed inside the PROXY header");
        }
        return b.array();
    }
}
