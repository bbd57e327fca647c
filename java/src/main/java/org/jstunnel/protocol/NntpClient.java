package org.jstunnel.protocol;

import java.io.IOException;

/** {@code protocol = nntp}, client mode only (protocol.c nntp_client_middle): STARTTLS (RFC 4642). */
final class NntpClient implements Protocol {
    @Override
    public void middle(Negotiation n) throws IOException {
        PlainWire server = n.remote();
        String line = server.getline();
        if (!Text.isPrefix(line, "200 ") && !Text.isPrefix(line, "201 ")) throw NegotiationFailed.reset("Unknown server welcome");
        n.local().putline(line);
        server.putline("STARTTLS");
        if (!Text.isPrefix(server.getline(), "382 ")) throw NegotiationFailed.reset("Server does not support TLS");
        PlaintextInjection.discard(server);
    }
}
