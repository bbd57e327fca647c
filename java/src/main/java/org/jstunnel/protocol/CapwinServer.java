package org.jstunnel.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jstunnel.log.Log;

/**
 * {@code protocol = capwin}, server mode (protocol.c capwin_server_middle/late): reads the client's
 * credentials inside TLS, checks them with an LDAP simple bind as
 * {@code uid=USER,ou=people,O=CAPWIN,C=US} on {@code protocolHost}, answers "FAILED" (and closes) or,
 * once the remote end is connected, "BINGO".
 */
final class CapwinServer implements Protocol {
    /** The BindResponse stunnel accepts: success, WinLDAP's four-byte lengths. */
    private static final byte[] BIND_OK = {0x30, (byte) 0x84, 0, 0, 0, 0x10, 0x02, 0x01, 0x01, 0x61, (byte) 0x84, 0, 0,
        0, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00};

    @Override
    public void middle(Negotiation n) throws IOException {
        byte[] buf = new byte[CapwinCredentials.BUFFER];
        int i = 0;
        for (; i < CapwinCredentials.BUFFER - 1; i++) {
            buf[i] = (byte) n.tls().readByte();
            if (buf[i] == 0x1c) break;
        }
        String[] f = CapwinCredentials.decode(CapwinCredentials.text(buf, Math.min(i + 1, buf.length)));
        if (f == null) throw NegotiationFailed.reset(null); // malformed: a reset, not "FAILED"
        String dn = "uid=" + escapeDn(f[1]) + ",ou=people,O=CAPWIN,C=US";
        if (!ldapBind(n, dn, f[2])) {
            Log.err("CapWIN: Authentication failed");
            n.tls().write("FAILED".getBytes(StandardCharsets.US_ASCII));
            throw NegotiationFailed.close(null);
        }
        Log.notice("CapWIN: Authentication succeeded");
    }

    @Override
    public void late(Negotiation n) throws IOException {
        n.tls().write("BINGO".getBytes(StandardCharsets.US_ASCII));
    }

    static String escapeDn(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("+;,\\\"<>#".indexOf(c) >= 0) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }

    /** protocol.c ldap_auth: one simple BindRequest to protocolHost; true when it succeeds. */
    private static boolean ldapBind(Negotiation n, String dn, String password) throws IOException {
        byte[] d = dn.getBytes(StandardCharsets.ISO_8859_1), p = password.getBytes(StandardCharsets.ISO_8859_1);
        if (d.length + p.length + 14 > 120) {
            Log.err("LDAP: Request too long");
            return false;
        }
        String host = n.settings().host();
        List<SocketAddress> addrs = List.of();
        if (host != null) {
            int colon = host.lastIndexOf(':');
            try {
                int port = Integer.parseInt(colon >= 0 ? host.substring(colon + 1) : host);
                addrs = NameLookup.resolve(colon >= 0 ? host.substring(0, colon) : null, port,
                    n.settings().connectTimeoutSeconds());
            } catch (NumberFormatException e) {
                addrs = List.of();
            }
        }
        if (addrs.isEmpty()) {
            Log.err("LDAP: Failed to resolve protocolHost");
            return false;
        }
        byte[] req = new byte[d.length + p.length + 14];
        int i = 0;
        req[i++] = 0x30; req[i++] = (byte) (d.length + p.length + 12);
        req[i++] = 0x02; req[i++] = 0x01; req[i++] = 0x01;                // messageID 1
        req[i++] = 0x60; req[i++] = (byte) (d.length + p.length + 7);     // BindRequest
        req[i++] = 0x02; req[i++] = 0x01; req[i++] = 0x03;                // version 3
        req[i++] = 0x04; req[i++] = (byte) d.length;
        System.arraycopy(d, 0, req, i, d.length);
        i += d.length;
        req[i++] = (byte) 0x80; req[i++] = (byte) p.length;               // simple authentication
        System.arraycopy(p, 0, req, i, p.length);
        try (Socket s = new Socket()) {
            Log.debug("LDAP: Connecting the server");
            InetSocketAddress target = (InetSocketAddress) addrs.get(0);
            try {
                s.connect(target, Math.max(1, n.settings().connectTimeoutSeconds()) * 1000);
            } catch (IOException e) {
                Log.err("s_connect: connect " + org.jstunnel.net.SocketAddresses.format(target) + ": "
                    + org.jstunnel.net.Errors.describe(e));
                return false;
            }
            s.setSoTimeout(Math.max(1, n.settings().connectTimeoutSeconds()) * 1000);
            Log.debug("LDAP: Sending BindRequest");
            OutputStream out = s.getOutputStream();
            out.write(req);
            out.flush();
            Arrays.fill(req, (byte) 0);
            Log.debug("LDAP: Waiting for BindResponse");
            InputStream in = s.getInputStream();
            byte[] resp = in.readNBytes(BIND_OK.length);
            if (resp.length < BIND_OK.length) {
                throw NegotiationFailed.reset("s_read: Received " + resp.length + " out of requested "
                    + BIND_OK.length + " byte(s)");
            }
            return Arrays.equals(resp, BIND_OK);
        }
    }
}
