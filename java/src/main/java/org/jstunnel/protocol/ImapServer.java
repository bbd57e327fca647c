package org.jstunnel.protocol;

import java.io.IOException;
import org.jstunnel.log.Log;

/**
 * {@code protocol = imap}, server mode (protocol.c imap_server_middle): relays the greeting (its
 * CAPABILITY disabled) with " (stunnel)", answers CAPABILITY with the server's list plus STARTTLS,
 * LOGOUT itself, and starts TLS on STARTTLS. Any other command ends the connection after a clean
 * LOGOUT from the server. A client that speaks first within 200 ms starts TLS at once (IMAPS).
 */
final class ImapServer implements Protocol {
    @Override
    public boolean connectBeforeTls() { return true; }

    @Override
    public void middle(Negotiation n) throws IOException {
        PlainWire client = n.local(), server = n.remote();
        if (client.readableWithin(200)) {
            Log.debug("RFC 2595 not detected");
            return;
        }
        Log.debug("RFC 2595 detected");

        String line = server.getline();
        if (!Text.isPrefix(line, "* OK")) throw NegotiationFailed.reset("Unknown server welcome");
        int capa = line.indexOf("CAPABILITY");
        if (capa < 0) capa = line.indexOf("capability");
        if (capa >= 0) line = line.substring(0, capa) + "K" + line.substring(capa + 1); // disabled
        client.putline(line + " (stunnel)");

        while (true) {
            line = client.getline();
            int space = line.indexOf(' ');
            if (space < 0) break;
            String id = line.substring(0, space), tail = line.substring(space + 1);
            if (Text.isPrefix(tail, "STARTTLS")) {
                PlaintextInjection.discard(client);
                client.putline(id + " OK Begin TLS negotiation now");
                return;
            } else if (Text.isPrefix(tail, "CAPABILITY")) {
                server.putline(line);
                line = server.getline();
                if (line.startsWith("*")) {
                    client.putline(line + " STARTTLS");
                    line = server.getline();
                }
                client.putline(line);
                int sp = line.indexOf(' ');
                if (sp < 0 || !Text.isPrefixAt(line, sp + 1, "OK")) {
                    client.putline("* BYE unexpected server response");
                    Log.err("Unexpected server response: " + line);
                    break;
                }
            } else if (Text.isPrefix(tail, "LOGOUT")) {
                client.putline("* BYE server terminating");
                client.putline(id + " OK LOGOUT completed");
                break;
            } else {
                client.putline("* BYE stunnel: unexpected command");
                client.putline(id + " BAD " + tail + " unexpected");
                Log.err("Unexpected client command " + tail);
                break;
            }
        }
        server.putline("stunnel LOGOUT"); // clean server shutdown
        if (server.getline().startsWith("*")) server.getline();
        throw NegotiationFailed.close(null);
    }
}
