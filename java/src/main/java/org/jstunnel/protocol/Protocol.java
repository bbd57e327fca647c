package org.jstunnel.protocol;

import java.io.IOException;

/**
 * One {@code protocol = NAME} in one mode (stunnel's protocol.c): what it says before, around and
 * after the TLS handshake. {@code Connection} calls the phases in stunnel's client_try order:
 * {@link #early} right after the accept, {@link #middle} once the plain side is connected (before the
 * handshake when the remote end is connected first, else after it), {@link #late} once both ends are
 * up. Each phase runs on the connection's virtual thread with blocking reads and writes; a failure
 * is a {@link NegotiationFailed} (already logged) or an I/O error.
 */
public interface Protocol {
    /** Whether the remote end is connected before the TLS handshake even in server mode (smtp, pop3, imap). */
    default boolean connectBeforeTls() { return false; }

    default void early(Negotiation n) throws IOException {}

    default void middle(Negotiation n) throws IOException {}

    default void late(Negotiation n) throws IOException {}
}
