package org.jstunnel.protocol;

import java.io.IOException;

/** {@code protocol = pgsql}, client mode (protocol.c pgsql_client_middle): SSLRequest, then 'S' expected. */
final class PgsqlClient implements Protocol {
    /** PostgreSQL's SSLRequest: length 8, code 80877103. */
    static final byte[] SSL_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};

    @Override
    public void middle(Negotiation n) throws IOException {
        PlainWire server = n.remote();
        server.write(SSL_REQUEST);
        if (server.readByte() != 'S') throw NegotiationFailed.reset("PostgreSQL server rejected TLS");
        PlaintextInjection.discard(server);
    }
}
