package org.jstunnel.protocol;

import java.io.IOException;

/** {@code protocol = imap}, client mode (protocol.c imap_client_middle): STARTTLS as tag "stunnel" (RFC 2595). */
final class ImapClient implements Protocol {
    @Override
    public void middle(Negotiation n) throws IOException {
        PlainWire server = n.remote(), client = n.local();
        if (!Text.isPrefix(server.getline(), "* OK")) throw NegotiationFailed.reset("Unknown server welcome");
        client.putline("* OK Connected.");
        server.putline("stunnel STARTTLS");
        if (!Text.isPrefix(server.getline(), "stunnel OK")) {
            client.putline("* BYE stunnel: Server does not support TLS");
            throw NegotiationFailed.close("Server does not support TLS");
        }
        PlaintextInjection.discard(server);
    }
}
