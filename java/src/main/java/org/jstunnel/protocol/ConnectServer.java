package org.jstunnel.protocol;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import org.jstunnel.cli.Version;

/**
 * {@code protocol = connect}, server mode (an undocumented stunnel mode, protocol.c
 * connect_server_early): before TLS, an HTTP {@code CONNECT host:port HTTP/1.x} request from the
 * client chooses the remote end; its headers are ignored. The replies are stunnel's: 400 for a bad
 * method or protocol, 404 when the target does not resolve, else 200.
 */
final class ConnectServer implements Protocol {
    @Override
    public void early(Negotiation n) throws IOException {
        PlainWire client = n.local();
        String request = client.getline();
        if (!Text.isPrefix(request, "CONNECT ")) {
            reply(client, "400 Bad Request Method");
            throw NegotiationFailed.reset(null);
        }
        int proto = request.indexOf(' ', 8);
        if (proto < 0 || !Text.isPrefixAt(request, proto, " HTTP/")) {
            reply(client, "400 Bad Request Protocol");
            throw NegotiationFailed.reset(null);
        }
        String target = request.substring(8, proto);
        ConnectClient.skipHeaders(client);
        List<SocketAddress> addresses = resolve(target, n.settings().connectTimeoutSeconds());
        if (addresses.isEmpty()) {
            reply(client, "404 Not Found");
            throw NegotiationFailed.reset(null);
        }
        n.connectTo(addresses);
        reply(client, "200 OK");
    }

    private static void reply(PlainWire client, String status) throws IOException {
        client.putline("HTTP/1.0 " + status);
        client.putline("Server: " + Version.PROGRAM + "/" + Version.VERSION);
        client.putline("");
    }

    /** stunnel's name2addrlist: "/path" (a Unix socket), "host:port", or a port on the loopback. */
    private static List<SocketAddress> resolve(String target, int deadline) {
        if (target.startsWith("/")) return List.of(UnixDomainSocketAddress.of(target));
        int colon = target.lastIndexOf(':');
        String host = colon >= 0 ? target.substring(0, colon) : null;
        String port = colon >= 0 ? target.substring(colon + 1) : target;
        int p;
        try {
            p = Integer.parseInt(port);
            if (p < 0 || p > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            org.jstunnel.log.Log.err("Unknown TCP service \"" + port + "\"");
            return List.of();
        }
        return NameLookup.resolve(host, p, deadline);
    }
}
