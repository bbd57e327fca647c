package org.jstunnel.protocol;

import java.io.IOException;

/**
 * {@code protocol = cifs}, client mode (protocol.c cifs_client_middle): an empty NetBIOS session
 * request, answered by a negative response whose error code 0x8e means "use TLS".
 */
final class CifsClient implements Protocol {
    @Override
    public void middle(Negotiation n) throws IOException {
        PlainWire server = n.remote();
        server.write(new byte[] {(byte) 0x81, 0, 0, 0});
        byte[] r = server.read(5);
        if ((r[0] & 0xff) != 0x83) throw NegotiationFailed.reset("Negative response expected");
        if (r[2] != 0 || r[3] != 1) throw NegotiationFailed.reset("Unexpected NetBIOS response size");
        if ((r[4] & 0xff) != 0x8e) throw NegotiationFailed.reset("Remote server does not require TLS");
    }
}
