package org.jstunnel.protocol;

import java.io.IOException;

/**
 * {@code protocol = pop3}, server mode (protocol.c pop3_server_middle): relays the server's greeting
 * with " + stunnel", answers CAPA with STLS only, and starts TLS on STLS (RFC 2595).
 */
final class Pop3Server implements Protocol {
    @Override
    public boolean connectBeforeTls() { return true; }

    @Override
    public void middle(Negotiation n) throws IOException {
        PlainWire client = n.local();
        client.putline(n.remote().getline() + " + stunnel");
        String line = client.getline();
        if (Text.isPrefix(line, "CAPA")) { // RFC 2449 extensions
            client.putline("+OK Stunnel capability list follows");
            client.putline("STLS");
            client.putline(".");
            line = client.getline();
        }
        if (!Text.isPrefix(line, "STLS")) throw NegotiationFailed.reset("Client does not want TLS");
        PlaintextInjection.discard(client);
        client.putline("+OK Stunnel starts TLS negotiation");
    }
}
