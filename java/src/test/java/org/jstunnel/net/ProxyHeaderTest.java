package org.jstunnel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyHeaderTest {
    private static final byte[] AFTER = "\u0016\u0003\u0001 client hello".getBytes(StandardCharsets.ISO_8859_1);

    /** The header, then what follows it: the reader must leave every byte after the header unread. */
    private static ReadableByteChannel channel(byte[] header) {
        byte[] all = new byte[header.length + AFTER.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(AFTER, 0, all, header.length, AFTER.length);
        return Channels.newChannel(new ByteArrayInputStream(all));
    }

    private static void assertRestUnread(ReadableByteChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(100);
        ch.read(b);
        assertEquals(new String(AFTER, StandardCharsets.ISO_8859_1), new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1));
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    @Test
    void v1Tcp4AndTcp6() throws IOException {
        ReadableByteChannel ch = channel(ascii("PROXY TCP4 192.0.2.7 127.0.0.1 40000 443\r\n"));
        ProxyHeader.Addresses a = ProxyHeader.read(ch, true, true);
        assertEquals("192.0.2.7:40000", SocketAddresses.format(a.source()));
        assertEquals(443, a.destination().getPort());
        assertRestUnread(ch);
        a = ProxyHeader.read(channel(ascii("PROXY TCP6 2001:db8::1 ::1 40000 443\r\n")), true, false);
        assertEquals(InetAddress.getByName("2001:db8::1"), a.source().getAddress());
    }

    @Test
    void v1UnknownKeepsTheSocketsAddresses() throws IOException {
        assertNull(ProxyHeader.read(channel(ascii("PROXY UNKNOWN\r\n")), true, true));
    }

    @Test
    void v2Tcp4AndLocal() throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(ProxyHeader.V2_SIGNATURE);
        h.write(new byte[] {0x21, 0x11, 0, 12 + 5, (byte) 198, 51, 100, 9, 127, 0, 0, 1, (byte) 0x9c, 0x40, 0x01, (byte) 0xbb});
        h.write(new byte[] {0x04, 0, 2, 'x', 'y'}); // a TLV (NOOP) is skipped
        ReadableByteChannel ch = channel(h.toByteArray());
        ProxyHeader.Addresses a = ProxyHeader.read(ch, false, true);
        assertEquals("198.51.100.9:40000", SocketAddresses.format(a.source()));
        assertEquals("127.0.0.1:443", SocketAddresses.format(a.destination()));
        assertRestUnread(ch);

        ByteArrayOutputStream local = new ByteArrayOutputStream();
        local.write(ProxyHeader.V2_SIGNATURE);
        local.write(new byte[] {0x20, 0x00, 0, 0});
        assertNull(ProxyHeader.read(channel(local.toByteArray()), true, true));
    }

    @Test
    void badHeadersAreRefused() {
        assertThrows(ProxyHeader.BadHeaderException.class, () -> ProxyHeader.read(channel(ascii("GET / HTTP/1.1\r\n\r\n")), true, true));
        assertThrows(ProxyHeader.BadHeaderException.class,
            () -> ProxyHeader.read(channel(ascii("PROXY TCP4 192.0.2.7 127.0.0.1 40000 443\r\n")), false, true));
        assertThrows(ProxyHeader.BadHeaderException.class,
            () -> ProxyHeader.read(channel(ascii("PROXY TCP4 example.com 127.0.0.1 40000 443\r\n")), true, true));
        assertThrows(ProxyHeader.BadHeaderException.class,
            () -> ProxyHeader.read(channel(ascii("PROXY TCP4 192.0.2.7 127.0.0.1 40000 99999\r\n")), true, true));
        assertThrows(ProxyHeader.BadHeaderException.class,
            () -> ProxyHeader.read(channel(ascii("PROXY TCP4 " + "1".repeat(120) + "\r\n")), true, true));
        assertThrows(java.io.EOFException.class,
            () -> ProxyHeader.read(Channels.newChannel(new ByteArrayInputStream(ascii("PROXY TCP4 1"))), true, true));
    }

    @Test
    void trustedSources() throws IOException {
        TrustedSources t = TrustedSources.parse(List.of("127.0.0.0/8", "10.1.2.3", "2001:db8::/32"));
        assertTrue(t.contains(InetAddress.getByName("127.9.9.9")));
        assertTrue(t.contains(InetAddress.getByName("10.1.2.3")));
        assertFalse(t.contains(InetAddress.getByName("10.1.2.4")));
        assertTrue(t.contains(InetAddress.getByName("2001:db8:1::5")));
        assertFalse(t.contains(InetAddress.getByName("::1")));
        assertThrows(IllegalArgumentException.class, () -> TrustedSources.parse(List.of("balancer.example")));
        assertThrows(IllegalArgumentException.class, () -> TrustedSources.parse(List.of("10.0.0.0/33")));
    }
}
