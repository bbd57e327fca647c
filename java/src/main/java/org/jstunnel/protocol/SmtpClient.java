package org.jstunnel.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code protocol = smtp}, client mode (protocol.c smtp_client_middle/late): passes the server's
 * greeting to the client, sends EHLO and STARTTLS to the server (RFC 3207), then, with
 * {@code protocolUsername}/{@code protocolPassword}, authenticates inside TLS (AUTH PLAIN, or
 * AUTH LOGIN with {@code protocolAuthentication = LOGIN}).
 */
final class SmtpClient implements Protocol {
    @Override
    public void middle(Negotiation n) throws IOException {
        PlainWire server = n.remote();
        String line;
        do { // copy the multiline greeting
            line = server.getline();
            n.local().putline(line);
        } while (Text.isPrefix(line, "220-"));

        server.putline("EHLO " + ehloName(n));
        do {
            line = server.getline();
        } while (Text.isPrefix(line, "250-"));
        if (!Text.isPrefix(line, "250 ")) throw NegotiationFailed.reset("Remote server is not RFC 1425 compliant");

        server.putline("STARTTLS");
        do {
            line = server.getline();
        } while (Text.isPrefix(line, "220-"));
        if (!Text.isPrefix(line, "220 ")) throw NegotiationFailed.reset("Remote server is not RFC 2487 compliant");
        PlaintextInjection.discard(server);
    }

    @Override
    public void late(Negotiation n) throws IOException {
        ProtocolSettings s = n.settings();
        if (!s.credentials()) return;
        TlsWire tls = n.tls();
        tls.putline("EHLO " + ehloName(n));
        String line = tls.getline(); // the reply is ignored
        while (Text.isPrefix(line, "250-")) line = tls.getline();
        if (s.authentication().equalsIgnoreCase("LOGIN")) login(tls, s);
        else plain(tls, s);
    }

    private static String ehloName(Negotiation n) {
        String host = n.settings().host();
        return host != null ? host : "localhost";
    }

    private static void plain(TlsWire tls, ProtocolSettings s) throws IOException {
        String token = b64("\0" + s.username() + "\0" + s.password());
        tls.putSecretLine("AUTH PLAIN " + token, "AUTH PLAIN <credentials>");
        if (!Text.isPrefix(tls.getline(), "235 ")) throw NegotiationFailed.reset("PLAIN Authentication Failed");
    }

    private static void login(TlsWire tls, ProtocolSettings s) throws IOException {
        tls.putline("AUTH LOGIN");
        if (!Text.isPrefix(tls.getline(), "334 ")) {
            throw NegotiationFailed.reset("Remote server does not support LOGIN authentication");
        }
        tls.putSecretLine(b64(s.username()), "<username>");
        if (!Text.isPrefix(tls.getline(), "334 ")) throw NegotiationFailed.reset("LOGIN authentication failed");
        tls.putSecretLine(b64(s.password()), "<password>");
        if (!Text.isPrefix(tls.getline(), "235 ")) throw NegotiationFailed.reset("LOGIN authentication failed");
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
