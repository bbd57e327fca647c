package org.jstunnel.protocol;

import java.io.IOException;
import org.jstunnel.log.Log;

/**
 * {@code protocol = smtp}, server mode (protocol.c smtp_server_middle): offers STARTTLS to a client
 * that waits for a greeting (RFC 2487); a client that speaks first within 200 ms is taken to start
 * TLS at once (SMTPS). The server's greeting is relayed with " stunnel for" after its domain, the
 * client's EHLO is answered with the domain and STARTTLS only.
 */
final class SmtpServer implements Protocol {
    @Override
    public boolean connectBeforeTls() { return true; }

    @Override
    public void middle(Negotiation n) throws IOException {
        PlainWire client = n.local(), server = n.remote();
        if (client.readableWithin(200)) {
            Log.debug("RFC 2487 not detected");
            return;
        }
        Log.debug("RFC 2487 detected");

        String line = server.getline();
        if (!(Text.isPrefix(line, "220 ") || Text.isPrefix(line, "220-"))) throw NegotiationFailed.reset("Unknown server welcome");
        String head = line.substring(0, 4);
        String domain = line.substring(4);
        int space = domain.indexOf(' ');
        if (space >= 0) {
            client.putline(head + domain.substring(0, space) + " stunnel for " + domain.substring(space + 1));
            domain = domain.substring(0, space);
        } else {
            client.putline(head + domain + " stunnel");
        }
        line = head;
        while (Text.isPrefix(line, "220-")) { // copy the multiline greeting
            line = server.getline();
            client.putline(line);
        }

        line = client.getline();
        if (!Text.isPrefix(line, "EHLO ")) throw NegotiationFailed.reset("Unknown client EHLO");
        client.putline("250-" + domain);
        client.putline("250 STARTTLS");

        line = client.getline();
        if (!Text.isPrefix(line, "STARTTLS")) throw NegotiationFailed.reset("STARTTLS expected");
        PlaintextInjection.discard(client);
        client.putline("220 Go ahead");
    }
}
