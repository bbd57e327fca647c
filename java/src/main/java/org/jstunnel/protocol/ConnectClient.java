package org.jstunnel.protocol;

import java.io.IOException;
import org.jstunnel.log.Log;

/**
 * {@code protocol = connect}, client mode (protocol.c connect_client_middle): an HTTP CONNECT to
 * {@code protocolHost} through the proxy the service connects to, with Basic or NTLM proxy
 * authentication when {@code protocolUsername} and {@code protocolPassword} are set, and the
 * {@code protocolHeader} lines in their order. Any 2xx status is success.
 */
final class ConnectClient implements Protocol {
    @Override
    public void middle(Negotiation n) throws IOException {
        ProtocolSettings s = n.settings();
        PlainWire proxy = n.remote();
        proxy.putline("CONNECT " + s.host() + " HTTP/1.1");
        proxy.putline("Host: " + s.host());
        if (s.credentials()) {
            if (s.authentication().equalsIgnoreCase("ntlm")) {
                Ntlm.authenticate(proxy, s);
            } else { // basic
                proxy.putSecretLine("Proxy-Authorization: basic " + SmtpClient.b64(s.username() + ":" + s.password()),
                    "Proxy-Authorization: basic <credentials>");
            }
        }
        for (String header : s.headers()) proxy.putline(header);
        proxy.putline("");

        String status = proxy.getline();
        if (!Text.isPrefix(status, "HTTP/1.0 2") && !Text.isPrefix(status, "HTTP/1.1 2")) {
            Log.err("CONNECT request rejected");
            skipHeaders(proxy);
            throw NegotiationFailed.reset(null);
        }
        Log.info("CONNECT request accepted");
        skipHeaders(proxy);
    }

    static void skipHeaders(PlainWire w) throws IOException {
        for (int i = 0; i < 10_000; i++) { // bounded: each line is at most 64 KiB
            if (w.getline().isEmpty()) return;
        }
        throw NegotiationFailed.reset("Too many headers");
    }
}
