package org.jstunnel.sessiond;

import java.nio.ByteBuffer;

/**
 * What sessiond needs from the first bytes of a TLS connection: the ClientHello's legacy session
 * id, and whether the client offers TLS 1.3 (then that id is a random compatibility value, not a
 * session to look up). Only a ClientHello whose start arrived in one read is looked at; anything
 * else answers null (no lookup: a full handshake at worst).
 */
public record ClientHello(byte[] sessionId, boolean offersTls13) {
    private static final int SUPPORTED_VERSIONS = 0x002b;

    /** Parses {@code b} from its position to its limit, without moving either; null if it is not a ClientHello. */
    public static ClientHello parse(ByteBuffer b) {
        try {
            int p = b.position(), end = b.limit();
            if (end - p < 44 || (b.get(p) & 0xff) != 0x16 || (b.get(p + 5) & 0xff) != 0x01) return null;
            int recordEnd = Math.min(end, p + 5 + (((b.get(p + 3) & 0xff) << 8) | (b.get(p + 4) & 0xff)));
            int q = p + 5 + 4 + 2 + 32; // record header, handshake header, version, random
            int idLen = b.get(q) & 0xff;
            if (idLen > 32 || q + 1 + idLen > recordEnd) return null;
            byte[] id = new byte[idLen];
            b.get(q + 1, id);
            q += 1 + idLen;
            q += 2 + u16(b, q);           // cipher suites
            q += 1 + (b.get(q) & 0xff);   // compression methods
            boolean tls13 = false;
            if (q + 2 <= recordEnd) {
                int extEnd = Math.min(recordEnd, q + 2 + u16(b, q));
                q += 2;
                while (q + 4 <= extEnd) {
                    int type = u16(b, q), len = u16(b, q + 2);
                    if (type == SUPPORTED_VERSIONS && q + 5 <= extEnd) {
                        int n = b.get(q + 4) & 0xff;
                        for (int i = 0; i + 1 < n && q + 5 + i + 1 < extEnd; i += 2)
                            if (u16(b, q + 5 + i) == 0x0304) tls13 = true;
                    }
                    q += 4 + len;
                }
            }
            return new ClientHello(id, tls13);
        } catch (IndexOutOfBoundsException e) {
            return null; // truncated: not enough of it arrived
        }
    }

    private static int u16(ByteBuffer b, int i) {
        return ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
    }
}
