package org.jstunnel.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import org.jstunnel.log.Log;
import org.jstunnel.os.CLibrary;
import org.jstunnel.os.Spawn;

/**
 * Linux transparent proxying ({@code transparent = source | destination | both}), as stunnel:
 * the remote socket may bind to the client's (non-local) address with IP_TRANSPARENT (falling back
 * to IP_FREEBIND), and the address a client originally asked for before an iptables/nft REDIRECT is
 * read with SO_ORIGINAL_DST. The routing and firewall rules that make this work are the system's.
 */
public final class Transparent {
    private Transparent() {}

    private static final int SOL_IP = 0, SOL_IPV6 = 41, IP_TRANSPARENT = 19, IP_FREEBIND = 15, SO_ORIGINAL_DST = 80;

    private interface C extends Library {
        int setsockopt(int fd, int level, int optname, IntByReference optval, int optlen) throws LastErrorException;
        int getsockopt(int fd, int level, int optname, Memory optval, IntByReference optlen) throws LastErrorException;
    }

    private static final class Holder {
        static final C C = Native.load(CLibrary.NAME, C.class);
    }

    /** client.c connect_init: allow a non-local bind; errors are logged and left to bind to report. */
    public static void allowNonLocalBind(Channel ch) {
        int fd = Fds.of(ch);
        try {
            Holder.C.setsockopt(fd, SOL_IP, IP_TRANSPARENT, new IntByReference(1), 4);
            Log.info("IP_TRANSPARENT socket option set");
            return;
        } catch (LastErrorException e) {
            Log.err("setsockopt IP_TRANSPARENT: " + Spawn.describe(e.getErrorCode()));
        }
        try {
            Holder.C.setsockopt(fd, SOL_IP, IP_FREEBIND, new IntByReference(1), 4);
            Log.info("IP_FREEBIND socket option set");
        } catch (LastErrorException e) {
            Log.err("setsockopt IP_FREEBIND: " + Spawn.describe(e.getErrorCode()));
        }
    }

    /**
     * network.c original_dst: where the client connected before a REDIRECT (SOL_IPV6 first, then SOL_IP).
     * @throws IOException after logging stunnel's error line
     */
    public static InetSocketAddress originalDestination(Channel ch) throws IOException {
        int fd = Fds.of(ch);
        Memory buf = new Memory(128);
        int errno = 0;
        for (int level : new int[] {SOL_IPV6, SOL_IP}) {
            buf.clear();
            IntByReference len = new IntByReference(128);
            try {
                Holder.C.getsockopt(fd, level, SO_ORIGINAL_DST, buf, len);
                return decode(buf);
            } catch (LastErrorException e) {
                errno = e.getErrorCode();
            }
        }
        Log.err("getsockopt SO_ORIGINAL_DST: " + Spawn.describe(errno));
        throw new ConnectFailedException(null);
    }

    /** struct sockaddr_in / sockaddr_in6 (family in host order, port and address in network order). */
    private static InetSocketAddress decode(Memory sa) throws IOException {
        int family = sa.getShort(0) & 0xffff;
        int port = ((sa.getByte(2) & 0xff) << 8) | (sa.getByte(3) & 0xff);
        byte[] addr = family == 10 ? sa.getByteArray(8, 16) : sa.getByteArray(4, 4);
        return new InetSocketAddress(InetAddress.getByAddress(addr), port);
    }
}
