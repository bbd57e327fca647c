package org.jstunnel.protocol;

import java.io.IOException;
import org.jstunnel.log.Log;

/**
 * The STARTTLS command-injection guard (the CVE-2011-0411 class): once the plaintext part of a
 * STARTTLS exchange is over, anything the peer already sent was sent before it could know TLS was
 * agreed, so it is an injection, not part of the TLS stream. It is dropped and logged, never fed to
 * the handshake or delivered inside TLS. (stunnel leaves it in the socket, where it breaks the
 * handshake.)
 */
final class PlaintextInjection {
    private PlaintextInjection() {}

    static void discard(Wire w) throws IOException {
        int n = w.discardPending();
        if (n > 0) Log.warning("Discarded " + n + " byte(s) of plaintext received before the TLS handshake");
    }
}
