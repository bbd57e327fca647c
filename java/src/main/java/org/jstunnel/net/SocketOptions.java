package org.jstunnel.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.channels.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jstunnel.config.SocketOptionNames;
import org.jstunnel.log.Log;
import org.jstunnel.os.CLibrary;

/**
 * A service's {@code socket = a|l|r:NAME=VALUE} options, as stunnel's socket_options_set applies
 * them: the accepting socket before bind, the local (accepted) socket when the connection starts,
 * the remote socket once connected. The defaults are stunnel's: a:SO_REUSEADDR=yes,
 * l:TCP_NODELAY=yes, r:TCP_NODELAY=yes; a later line for the same option and socket replaces an
 * earlier one. Set with setsockopt(2) on the channel's descriptor (Linux option numbers), so every
 * option {@code -sockets} lists works, also those Java has no name for.
 */
public final class SocketOptions {
    /** Which socket: stunnel's type 0, 1, 2. */
    public enum Kind {
        ACCEPT("accept"), LOCAL("local"), REMOTE("remote");

        final String word;

        Kind(String word) { this.word = word; }
    }

    private record Setting(String name, int level, int opt, SocketOptionNames.Kind type, byte[] value) {}

    /** Per kind, the settings in stunnel's table order. */
    private final List<List<Setting>> settings;

    private SocketOptions(List<List<Setting>> settings) { this.settings = settings; }

    /** stunnel's defaults only. */
    public static SocketOptions defaults() {
        return parse(List.of());
    }

    /**
     * The defaults, then each {@code socket} value in order (already validated by the config's check).
     * @throws IllegalArgumentException for a value the check would have refused
     */
    public static SocketOptions parse(List<String> lines) {
        // [kind][option index] -> value; later lines replace earlier ones
        List<String> names = new ArrayList<>(SocketOptionNames.all().keySet());
        String[][] values = new String[3][names.size()];
        values[Kind.ACCEPT.ordinal()][names.indexOf("SO_REUSEADDR")] = "yes";
        values[Kind.LOCAL.ordinal()][names.indexOf("TCP_NODELAY")] = "yes";
        values[Kind.REMOTE.ordinal()][names.indexOf("TCP_NODELAY")] = "yes";
        for (String line : lines) {
            int kind = "alr".indexOf(line.charAt(0));
            int eq = line.indexOf('=');
            int i = names.indexOf(line.substring(2, eq));
            if (kind < 0 || line.charAt(1) != ':' || i < 0) throw new IllegalArgumentException("Illegal socket option");
            values[kind][i] = line.substring(eq + 1);
        }
        List<List<Setting>> out = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            List<Setting> l = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (values[k][i] == null) continue;
                String name = names.get(i);
                SocketOptionNames.Kind type = SocketOptionNames.kind(name);
                int[] lo = LINUX.get(name);
                l.add(new Setting(name, lo[0], lo[1], type, encode(type, values[k][i])));
            }
            out.add(List.copyOf(l));
        }
        return new SocketOptions(List.copyOf(out));
    }

    /** Whether an option is set on this kind of socket (e.g. IP_FREEBIND on the listener). */
    public boolean has(Kind kind, String name) {
        return settings.get(kind.ordinal()).stream().anyMatch(s -> s.name.equals(name));
    }

    /**
     * network.c socket_options_set: every option for {@code kind}, logged as stunnel; an option the
     * socket does not support (EOPNOTSUPP: a Unix socket) is skipped with a debug line.
     * @return false if an option failed (logged as stunnel's sockerror)
     */
    public boolean apply(Channel ch, Kind kind) {
        int fd = Fds.of(ch);
        Log.debug("Setting " + kind.word + " socket options (FD=" + fd + ")");
        boolean ok = true;
        for (Setting s : settings.get(kind.ordinal())) {
            int errno = set(fd, s);
            if (errno == 0) {
                Log.debug("Option " + s.name + " set on " + kind.word + " socket");
            } else if (errno == EOPNOTSUPP) { // most likely a Unix socket
                Log.debug("Option " + s.name + " not supported on " + kind.word + " socket");
            } else {
                Log.err(s.name + ": " + org.jstunnel.os.Spawn.describe(errno));
                ok = false;
            }
        }
        return ok;
    }

    private static int set(int fd, Setting s) {
        if (fd < 0) return EBADF;
        Memory m = new Memory(Math.max(1, s.value.length));
        m.write(0, s.value, 0, s.value.length);
        try {
            Holder.C.setsockopt(fd, s.level, s.opt, m, s.value.length);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    /** The option's bytes as the kernel wants them (int, struct linger, struct timeval, string + NUL). */
    private static byte[] encode(SocketOptionNames.Kind type, String v) {
        return switch (type) {
            case FLAG -> ints(v.equalsIgnoreCase("yes") || v.equals("1") ? 1 : 0);
            case INT -> ints(Integer.parseInt(v));
            case LINGER -> { // options.c: l_onoff[:l_linger], each stored as u_short
                int colon = v.indexOf(':');
                int onoff = Integer.parseInt(colon < 0 ? v : v.substring(0, colon)) & 0xffff;
                int linger = colon < 0 ? 0 : Integer.parseInt(v.substring(colon + 1)) & 0xffff;
                yield ints(onoff, linger);
            }
            case TIMEVAL -> { // sec[:usec], two longs on LP64
                int colon = v.indexOf(':');
                long sec = Integer.parseInt(colon < 0 ? v : v.substring(0, colon));
                long usec = colon < 0 ? 0 : Integer.parseInt(v.substring(colon + 1));
                yield NativeLong.SIZE == 8 ? longs(sec, usec) : ints((int) sec, (int) usec);
            }
            case STRING -> {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                byte[] z = new byte[b.length + 1];
                System.arraycopy(b, 0, z, 0, b.length);
                yield z;
            }
        };
    }

    private static byte[] ints(int... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.nativeOrder());
        for (int i : v) b.putInt(i);
        return b.array();
    }

    private static byte[] longs(long... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * v.length).order(java.nio.ByteOrder.nativeOrder());
        for (long l : v) b.putLong(l);
        return b.array();
    }

    // Linux: levels and option numbers of the generic socket ABI (x86, arm, riscv, s390)
    private static final int SOL_SOCKET = 1, IPPROTO_IP = 0, IPPROTO_TCP = 6, IPPROTO_IPV6 = 41;
    private static final int EBADF = 9, EOPNOTSUPP = 95;
    private static final Map<String, int[]> LINUX = Map.ofEntries(
        Map.entry("SO_DEBUG", new int[] {SOL_SOCKET, 1}),
        Map.entry("SO_DONTROUTE", new int[] {SOL_SOCKET, 5}),
        Map.entry("SO_KEEPALIVE", new int[] {SOL_SOCKET, 9}),
        Map.entry("SO_LINGER", new int[] {SOL_SOCKET, 13}),
        Map.entry("SO_OOBINLINE", new int[] {SOL_SOCKET, 10}),
        Map.entry("SO_RCVBUF", new int[] {SOL_SOCKET, 8}),
        Map.entry("SO_SNDBUF", new int[] {SOL_SOCKET, 7}),
        Map.entry("SO_RCVLOWAT", new int[] {SOL_SOCKET, 18}),
        Map.entry("SO_SNDLOWAT", new int[] {SOL_SOCKET, 19}),
        Map.entry("SO_RCVTIMEO", new int[] {SOL_SOCKET, 20}),
        Map.entry("SO_SNDTIMEO", new int[] {SOL_SOCKET, 21}),
        Map.entry("SO_REUSEADDR", new int[] {SOL_SOCKET, 2}),
        Map.entry("SO_BINDTODEVICE", new int[] {SOL_SOCKET, 25}),
        Map.entry("TCP_KEEPCNT", new int[] {IPPROTO_TCP, 6}),
        Map.entry("TCP_KEEPIDLE", new int[] {IPPROTO_TCP, 4}),
        Map.entry("TCP_KEEPINTVL", new int[] {IPPROTO_TCP, 5}),
        Map.entry("IP_TOS", new int[] {IPPROTO_IP, 1}),
        Map.entry("IP_TTL", new int[] {IPPROTO_IP, 2}),
        Map.entry("TCP_NODELAY", new int[] {IPPROTO_TCP, 1}),
        Map.entry("IP_FREEBIND", new int[] {IPPROTO_IP, 15}),
        Map.entry("IPV6_V6ONLY", new int[] {IPPROTO_IPV6, 26}));

    private interface C extends Library {
        int setsockopt(int fd, int level, int optname, Memory optval, int optlen) throws LastErrorException;
    }

    private static final class Holder {
        static final C C = Native.load(CLibrary.NAME, C.class);
    }
}
