package org.jstunnel.protocol;

import java.io.IOException;

/**
 * {@code protocol = cifs}, server mode (protocol.c cifs_server_early): reads a NetBIOS session request
 * (at most 124 bytes of body) and answers "use TLS" (0x8e), or "access denied" to anything else.
 */
final class CifsServer implements Protocol {
    private static final int MAX_BODY = 128 - 4;

    @Override
    public void early(Negotiation n) throws IOException {
        PlainWire client = n.local();
        byte[] header = client.read(4);
        int len = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        if (len > MAX_BODY) throw NegotiationFailed.reset("Received block too long");
        client.read(len);
        if ((header[0] & 0xff) != 0x81) {
            org.jstunnel.log.Log.err("Client did not send session setup");
            client.write(new byte[] {(byte) 0x83, 0, 0, 1, (byte) 0x81});
            throw NegotiationFailed.reset(null);
        }
        client.write(new byte[] {(byte) 0x83, 0, 0, 1, (byte) 0x8e});
    }
}
