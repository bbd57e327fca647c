package org.jstunnel.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jstunnel.log.Log;

/**
 * {@code protocol = socks}, client mode (protocol.c socks_client_late): a SOCKS 5 CONNECT inside TLS
 * to {@code protocolHost} (host:port, or a port on "localhost") sent as a DOMAINNAME, no authentication.
 * stunnel's transparent destination (no protocolHost: the original destination of a redirected
 * connection, SO_ORIGINAL_DST) is not available in jstunnel.
 */
final class SocksClient implements Protocol {
    private static final String[] FAILURES = {null, "General SOCKS server failure", "Connection not allowed by ruleset",
        "Network unreachable", "Host unreachable", "Connection refused", "TTL expired", "Command not supported",
        "Address type not supported"};

    @Override
    public void late(Negotiation n) throws IOException {
        TlsWire tls = n.tls();
        tls.write(new byte[] {5, 1, 0}); // one method: no authentication required
        byte[] resp = tls.read(2);
        if (resp[0] != 5) throw NegotiationFailed.close(String.format("Invalid SOCKS5 message version 0x%02x", resp[0] & 0xff));
        if (resp[1] != 0) throw NegotiationFailed.close("No supported SOCKS5 authentication method received");

        String target = n.settings().host();
        if (target == null) {
            throw NegotiationFailed.close("SOCKS client mode needs protocolHost in jstunnel (no transparent destination)");
        }
        int colon = target.lastIndexOf(':');
        String host = colon >= 0 ? target.substring(0, colon) : "localhost";
        String portText = colon >= 0 ? target.substring(colon + 1) : target;
        byte[] name = host.getBytes(StandardCharsets.ISO_8859_1);
        if (name.length > 0xff) throw NegotiationFailed.close("protocolHost too long");
        int port;
        try {
            port = Integer.parseInt(portText);
            if (port < 0 || port > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw NegotiationFailed.close("Invalid port: " + portText + " (error: Servname not supported for ai_socktype)");
        }
        byte[] req = new byte[7 + name.length];
        req[0] = 5; req[1] = 1; req[3] = 3; req[4] = (byte) name.length;
        System.arraycopy(name, 0, req, 5, name.length);
        req[5 + name.length] = (byte) (port >> 8);
        req[6 + name.length] = (byte) port;
        Log.info("Sending SOCKS5 DOMAINNAME");
        tls.write(req);

        byte[] head = tls.read(4);
        tls.read(head[3] == 0x04 ? 18 : 6);
        if (head[0] != 5) throw NegotiationFailed.close(String.format("Invalid SOCKS5 message version 0x%02x", head[0] & 0xff));
        int rep = head[1] & 0xff;
        if (rep == 0) {
            Log.info("SOCKS5 request succeeded");
            return;
        }
        String why = rep < FAILURES.length ? FAILURES[rep] : String.format("Unknown error 0x%02x", rep);
        throw NegotiationFailed.close("SOCKS5 request failed: " + why);
    }
}
