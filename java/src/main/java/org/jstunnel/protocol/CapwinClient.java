package org.jstunnel.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jstunnel.log.Log;

/**
 * {@code protocol = capwin}, client mode (protocol.c capwin_client_late): sends the credentials a
 * {@code capwinctrl} service received (user and password only) inside TLS and expects "BINGO".
 */
final class CapwinClient implements Protocol {
    @Override
    public void late(Negotiation n) throws IOException {
        String auth = CapwinCredentials.get();
        if (auth == null || auth.isEmpty()) throw NegotiationFailed.reset("CapWIN: No credentials set");
        String[] f = CapwinCredentials.decode(auth);
        if (f == null) throw NegotiationFailed.reset(null);
        if (!f[0].equals("AUTH")) throw NegotiationFailed.reset("CapWIN: Invalid authentication request");
        Log.debug("CapWIN: Sending credentials");
        n.tls().write(("\u001f" + f[1] + "\u001f" + f[2] + "\u001f\u001c").getBytes(StandardCharsets.ISO_8859_1));
        Log.debug("CapWIN: Waiting for response");
        byte[] resp = n.tls().read(5);
        if (!Arrays.equals(resp, "BINGO".getBytes(StandardCharsets.US_ASCII))) {
            throw NegotiationFailed.reset("CapWIN: Authentication failed");
        }
        Log.notice("CapWIN: Authentication succeeded");
    }
}
