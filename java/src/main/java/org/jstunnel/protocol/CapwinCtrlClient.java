package org.jstunnel.protocol;

import java.io.IOException;
import org.jstunnel.log.Log;

/**
 * {@code protocol = capwinctrl}, client mode only (protocol.c capwinctrl_client_early): the local
 * peer writes the CapWIN credentials and closes; they are kept for the {@code capwin} services and the
 * connection ends there (no remote end: the protocol is the service's second endpoint).
 */
final class CapwinCtrlClient implements Protocol {
    @Override
    public void early(Negotiation n) throws IOException {
        Log.debug("CapWIN: Setting credentials");
        byte[] buf = new byte[CapwinCredentials.BUFFER - 1];
        int got = n.local().readUpTo(buf);
        CapwinCredentials.set(CapwinCredentials.text(buf, got));
        Log.notice("CapWIN: Credentials set");
        throw NegotiationFailed.close(null);
    }
}
