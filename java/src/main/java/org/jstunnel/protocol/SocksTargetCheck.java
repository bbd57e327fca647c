package org.jstunnel.protocol;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.jstunnel.log.Log;

/**
 * Which targets a SOCKS client may reach (protocol.c validate_connect_addr), stricter than stunnel:
 * stunnel refuses 127.0.0.0/8 and ::1 only, but 0.0.0.0 (and the rest of 0.0.0.0/8), :: and
 * IPv4-mapped or -compatible loopback (::ffff:127.0.0.1, ::127.0.0.1) reach this host's own
 * services just the same, so they are refused too, with stunnel's lines.
 */
final class SocksTargetCheck {
    private SocksTargetCheck() {}

    static boolean allowed(List<SocketAddress> targets) {
        for (SocketAddress t : targets) {
            if (!(t instanceof InetSocketAddress i) || i.getAddress() == null) {
                Log.err("Unsupported address type 0x01");
                return false;
            }
            InetAddress a = i.getAddress();
            if (a instanceof Inet4Address) {
                if (local4(a.getAddress(), 0)) {
                    Log.err("SOCKS connection to the IPv4 loopback rejected");
                    return false;
                }
            } else if (local6(a.getAddress())) {
                Log.err("SOCKS connection to the IPv6 loopback rejected");
                return false;
            }
        }
        return true;
    }

    /** 127.0.0.0/8 and 0.0.0.0/8 (on Linux a connect to 0.0.0.0 reaches the local host). */
    private static boolean local4(byte[] b, int off) {
        return b[off] == 127 || b[off] == 0;
    }

    /** ::, ::1, and IPv4-mapped (::ffff:a.b.c.d) or -compatible (::a.b.c.d) local IPv4 addresses. */
    static boolean local6(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0;
        return (mapped || compatible) && local4(b, 12); // also :: and ::1 (compatible form, first byte 0)
    }
}
