package org.jstunnel.protocol;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jstunnel.log.Log;

/**
 * {@code protocol = socks}, server mode (protocol.c socks_server_middle): a SOCKS 4, 4a or 5 request
 * inside TLS picks the remote end; CONNECT and Tor's RESOLVE (0xf0) are supported, BIND is not, and
 * no authentication but "none". The reply is sent before the target is connected, as stunnel does.
 * Targets on this host are refused (see {@link SocksTargetCheck}).
 */
final class SocksServer implements Protocol {
    @Override
    public void middle(Negotiation n) throws IOException {
        TlsWire tls = n.tls();
        Log.debug("Waiting for the SOCKS request");
        int version = tls.readByte();
        switch (version) {
            case 4 -> socks4(n, tls);
            case 5 -> {
                method(tls);
                socks5(n, tls);
            }
            default -> throw NegotiationFailed.reset(String.format("Unsupported SOCKS version 0x%02x", version));
        }
    }

    private static int deadline(Negotiation n) { return n.settings().connectTimeoutSeconds(); }

    /** SOCKS 4 and 4a; the user id is ignored. */
    private static void socks4(Negotiation n, TlsWire tls) throws IOException {
        byte[] req = tls.read(7); // command, port, IPv4 address
        tls.getstring(); // user id
        int cmd = req[0] & 0xff;
        int port = ((req[1] & 0xff) << 8) | (req[2] & 0xff);
        boolean ok = false;
        byte[] reply = new byte[8]; // version 0, code, port and address as received
        System.arraycopy(req, 1, reply, 2, 6);
        if (cmd == 0x01) { // CONNECT
            boolean socks4a = req[3] == 0 && req[4] == 0 && req[5] == 0 && req[6] != 0; // 0.0.0.x
            List<SocketAddress> targets;
            if (socks4a) {
                String host = tls.getstring();
                targets = NameLookup.resolve(host, port, deadline(n));
                if (targets.isEmpty()) Log.err("SOCKS4a failed to resolve \"" + host + "\"");
                else Log.info("SOCKS4a resolved \"" + host + "\" to " + targets.size() + " host(s)");
            } else {
                targets = List.of(new InetSocketAddress(InetAddress.getByAddress(new byte[] {req[3], req[4], req[5], req[6]}), port));
                Log.info("SOCKS4 address received");
            }
            ok = !targets.isEmpty() && SocksTargetCheck.allowed(targets);
            if (ok) n.connectTo(targets);
        } else if (cmd == 0xf0) { // RESOLVE (a Tor extension)
            String host = tls.getstring();
            List<SocketAddress> all = NameLookup.resolve(host, 0, deadline(n));
            if (!all.isEmpty() && ((InetSocketAddress) all.get(0)).getAddress() instanceof Inet4Address a) {
                System.arraycopy(a.getAddress(), 0, reply, 4, 4);
                Log.info("SOCKS4a/TOR resolved \"" + host + "\"");
                reply[1] = 90;
            } else {
                Log.err("SOCKS4a/TOR failed to resolve \"" + host + "\"");
            }
        } else {
            Log.err(String.format("Unsupported SOCKS4/SOCKS4a command 0x%02x", cmd));
        }
        if (cmd == 0x01) reply[1] = (byte) (ok ? 90 : 91);
        else if (reply[1] != 90) reply[1] = 91;
        tls.write(reply);
        if (!ok) throw NegotiationFailed.close(null); // RESOLVE always ends the connection
    }

    /** SOCKS 5 method selection: only "no authentication required". */
    private static void method(TlsWire tls) throws IOException {
        int count = tls.readByte();
        byte[] methods = tls.read(count);
        int chosen = 0xff;
        for (byte m : methods) {
            if (m == 0) {
                chosen = 0;
                break;
            }
        }
        tls.write(new byte[] {5, (byte) chosen});
        if (chosen != 0) throw NegotiationFailed.close("No supported SOCKS5 authentication method received");
    }

    private static void socks5(Negotiation n, TlsWire tls) throws IOException {
        byte[] req = tls.read(4); // version, command, reserved, address type
        byte[] reply = new byte[22]; // version, code, reserved, type, address (4 or 16), port
        reply[0] = 5;
        reply[2] = req[2];
        int atyp = req[3] & 0xff;
        int rep;
        boolean ok = false;
        if (req[0] != 5) {
            Log.err(String.format("Invalid SOCKS5 message version 0x%02x", req[0] & 0xff));
            rep = 0x01;
        } else if (req[1] == 0x01) { // CONNECT
            List<SocketAddress> targets = null;
            if (atyp == 0x01 || atyp == 0x04) {
                int len = atyp == 0x01 ? 4 : 16;
                byte[] addr = tls.read(len + 2);
                System.arraycopy(addr, 0, reply, 4, len + 2); // echoed in the reply
                int port = ((addr[len] & 0xff) << 8) | (addr[len + 1] & 0xff);
                InetAddress ip = InetAddress.getByAddress(java.util.Arrays.copyOf(addr, len));
                targets = List.of(new InetSocketAddress(ip, port));
                Log.info("SOCKS5 " + (atyp == 0x01 ? "IPv4" : "IPv6") + " address received");
            } else if (atyp == 0x03) { // DOMAINNAME
                String host = domain(tls);
                int port = port(tls);
                targets = NameLookup.resolve(host, port, deadline(n));
                if (targets.isEmpty()) Log.err("SOCKS5 failed to resolve \"" + host + "\"");
                else Log.info("SOCKS5 resolved \"" + host + "\" to " + targets.size() + " host(s)");
            } else {
                Log.err(String.format("Unsupported SOCKS5 address type 0x%02x", atyp));
            }
            if (targets == null) {
                rep = 0x07; // address type not supported
            } else if (targets.isEmpty()) {
                rep = 0x04; // host unreachable
            } else if (SocksTargetCheck.allowed(targets)) {
                n.connectTo(targets);
                ok = true;
                rep = 0x00;
            } else {
                rep = 0x02; // connection not allowed by ruleset
            }
        } else if ((req[1] & 0xff) == 0xf0) { // RESOLVE (a Tor extension)
            atyp = 0x01;
            String host = domain(tls);
            int port = port(tls);
            List<SocketAddress> all = NameLookup.resolve(host, port, deadline(n));
            rep = 0x04;
            if (all.isEmpty()) {
                Log.err("SOCKS5/TOR failed to resolve \"" + host + "\"");
            } else {
                byte[] ip = ((InetSocketAddress) all.get(0)).getAddress().getAddress();
                Log.info("SOCKS5/TOR resolved \"" + host + "\" to " + (ip.length == 4 ? "IPv4" : "IPv6"));
                System.arraycopy(ip, 0, reply, 4, ip.length);
                atyp = ip.length == 4 ? 0x01 : 0x04;
                rep = 0x00;
            }
        } else {
            Log.err(String.format("Unsupported SOCKS5 command 0x%02x", req[1] & 0xff));
            rep = 0x07;
        }
        reply[1] = (byte) rep;
        // broken clients expect the address family of their request: IPv6 is kept, all else is IPv4
        if (atyp == 0x04) {
            reply[3] = 0x04;
            tls.write(reply);
        } else {
            reply[3] = 0x01;
            if (req[3] != 0x01) java.util.Arrays.fill(reply, 8, 22, (byte) 0);
            tls.write(java.util.Arrays.copyOf(reply, 10));
        }
        if (!ok) throw NegotiationFailed.close(null);
    }

    private static String domain(TlsWire tls) throws IOException {
        int len = tls.readByte();
        return new String(tls.read(len), StandardCharsets.ISO_8859_1);
    }

    private static int port(TlsWire tls) throws IOException {
        byte[] p = tls.read(2);
        return ((p[0] & 0xff) << 8) | (p[1] & 0xff);
    }
}
