package org.jstunnel.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jstunnel.log.Log;

/**
 * {@code protocol = pgsql}, server mode (protocol.c pgsql_server_early): answers a client's SSLRequest
 * with 'S'; a GSSENCRequest gets an ErrorResponse so the client can retry with TLS; anything else is
 * dropped (the protocol has no way to report an error before the startup message).
 */
final class PgsqlServer implements Protocol {
    private static final byte[] GSS_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x30};

    /** ErrorResponse: S ERROR, C XX000, M "SSL expected but not requested by client". */
    static byte[] gssResponse() {
        byte[] body = "SERROR\0CXX000\0MSSL expected but not requested by client\0\0".getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[5 + body.length];
        m[0] = 'E';
        m[4] = (byte) (4 + body.length);
        System.arraycopy(body, 0, m, 5, body.length);
        return m;
    }

    @Override
    public void early(Negotiation n) throws IOException {
        PlainWire client = n.local();
        Log.debug("Started server-side psql protocol negotiation");
        byte[] request = client.read(8);
        if (Arrays.equals(request, GSS_REQUEST)) {
            Log.info("GSSAPI encryption requested, rejecting gracefully");
            client.write(gssResponse());
            throw NegotiationFailed.close(null);
        }
        if (!Arrays.equals(request, PgsqlClient.SSL_REQUEST)) {
            throw NegotiationFailed.reset("PostgreSQL client did not request TLS, rejecting");
        }
        Log.debug("SSLRequest received");
        PlaintextInjection.discard(client);
        client.write(new byte[] {'S'});
    }
}
