package org.jstunnel.protocol;

import java.io.IOException;

/** {@code protocol = pop3}, client mode (protocol.c pop3_client_middle): the greeting, then STLS (RFC 2595). */
final class Pop3Client implements Protocol {
    @Override
    public void middle(Negotiation n) throws IOException {
        PlainWire server = n.remote();
        String line = server.getline();
        if (!Text.isPrefix(line, "+OK ")) throw NegotiationFailed.reset("Unknown server welcome");
        n.local().putline(line);
        server.putline("STLS");
        if (!Text.isPrefix(server.getline(), "+OK ")) throw NegotiationFailed.reset("Server does not support TLS");
        PlaintextInjection.discard(server);
    }
}
