package org.jstunnel.cli;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The table {@code -sockets} prints: stunnel's socket options (its order, its names), jstunnel's
 * defaults for the accepting, local (accepted) and remote (outgoing) sockets, and the OS default read
 * from a fresh TCP socket. The OS default is read through Java (StandardSocketOptions,
 * jdk.net.ExtendedSocketOptions) where Java exposes the option, else with getsockopt(2) on a fresh
 * socket(2) through JNA (Linux with the generic socket ABI only; elsewhere "unknown"). SO_RCVBUF and
 * SO_SNDBUF are read with getsockopt(2) first, as the JDK halves them on Linux.
 */
public final class SocketDefaults {
    private SocketDefaults() {}

    /** How a value is shown: FLAG yes/no, INT %d, LINGER onoff:linger, TIMEVAL sec:usec, STRING as is. */
    public enum Type { FLAG, INT, LINGER, TIMEVAL, STRING }

    private enum Level { SOCKET, IP, TCP, IPV6 }

    /** One row of the table; accept/local/remote are jstunnel's defaults, null when it sets none. */
    public record Row(String name, Type type, String accept, String local, String remote, String osDefault) {}

    private record Def(String name, Level level, int linuxOpt, Type type, String accept, String local, String remote) {}

    // Linux option numbers (generic ABI: x86, arm, riscv, s390; not powerpc/mips/sparc/alpha/parisc)
    private static final List<Def> DEFS = List.of(
        new Def("SO_DEBUG", Level.SOCKET, 1, Type.FLAG, null, null, null),
        new Def("SO_DONTROUTE", Level.SOCKET, 5, Type.FLAG, null, null, null),
        new Def("SO_KEEPALIVE", Level.SOCKET, 9, Type.FLAG, null, null, null),
        new Def("SO_LINGER", Level.SOCKET, 13, Type.LINGER, null, null, null),
        new Def("SO_OOBINLINE", Level.SOCKET, 10, Type.FLAG, null, null, null),
        new Def("SO_RCVBUF", Level.SOCKET, 8, Type.INT, null, null, null),
        new Def("SO_SNDBUF", Level.SOCKET, 7, Type.INT, null, null, null),
        new Def("SO_RCVLOWAT", Level.SOCKET, 18, Type.INT, null, null, null),
        new Def("SO_SNDLOWAT", Level.SOCKET, 19, Type.INT, null, null, null),
        new Def("SO_RCVTIMEO", Level.SOCKET, 20, Type.TIMEVAL, null, null, null),
        new Def("SO_SNDTIMEO", Level.SOCKET, 21, Type.TIMEVAL, null, null, null),
        new Def("SO_REUSEADDR", Level.SOCKET, 2, Type.FLAG, "yes", null, null),
        new Def("SO_BINDTODEVICE", Level.SOCKET, 25, Type.STRING, null, null, null),
        new Def("TCP_KEEPCNT", Level.TCP, 6, Type.INT, null, null, null),
        new Def("TCP_KEEPIDLE", Level.TCP, 4, Type.INT, null, null, null),
        new Def("TCP_KEEPINTVL", Level.TCP, 5, Type.INT, null, null, null),
        new Def("IP_TOS", Level.IP, 1, Type.INT, null, null, null),
        new Def("IP_TTL", Level.IP, 2, Type.INT, null, null, null),
        new Def("TCP_NODELAY", Level.TCP, 1, Type.FLAG, null, "yes", "yes"),
        new Def("IP_FREEBIND", Level.IP, 15, Type.FLAG, null, null, null),
        new Def("IPV6_V6ONLY", Level.IPV6, 26, Type.FLAG, null, null, null));

    /** The option names, in stunnel's order. */
    public static List<String> names() {
        return DEFS.stream().map(Def::name).toList();
    }

    /** Reads the OS defaults now and returns the rows. */
    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Def d : DEFS) rows.add(new Row(d.name(), d.type(), d.accept(), d.local(), d.remote(), osDefault(d)));
        return rows;
    }

    /** The table as stunnel prints it: blank line, title, header, ruler, one line per option. */
    public static List<String> lines(List<Row> rows) {
        List<String> out = new ArrayList<>();
        out.add(" ");
        out.add("Socket option defaults:");
        out.add("    Option Name         |  Accept  |   Local  |  Remote  |OS default");
        out.add("    --------------------+----------+----------+----------+----------");
        for (Row r : rows)
            out.add(String.format("    %-20s|%10s|%10s|%10s|%10s",
                r.name(), cell(r.accept()), cell(r.local()), cell(r.remote()), r.osDefault()));
        return out;
    }

    private static String cell(String v) { return v == null ? "    --    " : v; }

    // ---- OS defaults

    private static String osDefault(Def d) {
        if (RAW_FIRST.contains(d.name()) && nativeAvailable()) {
            String v = nativeDefault(d);
            if (!v.equals("unknown")) return v;
        }
        try {
            String v = javaDefault(d);
            if (v != null) return v;
        } catch (IOException | RuntimeException e) {
            // fall through to getsockopt
        }
        return nativeDefault(d);
    }

    /**
     * On Linux the JDK reports half of what getsockopt(2) returns for these (so that a value read
     * back equals the one set), while stunnel prints getsockopt's: read them raw first.
     */
    private static final Set<String> RAW_FIRST = Set.of("SO_RCVBUF", "SO_SNDBUF");

    private static String javaDefault(Def d) throws IOException {
        switch (d.name()) {
            case "SO_KEEPALIVE": return flag(get(StandardSocketOptions.SO_KEEPALIVE));
            case "SO_LINGER": {
                int l = get(StandardSocketOptions.SO_LINGER);
                return l < 0 ? "0:0" : "1:" + l;
            }
            case "SO_RCVBUF": return Integer.toString(get(StandardSocketOptions.SO_RCVBUF));
            case "SO_SNDBUF": return Integer.toString(get(StandardSocketOptions.SO_SNDBUF));
            case "SO_REUSEADDR": return flag(get(StandardSocketOptions.SO_REUSEADDR));
            case "SO_OOBINLINE":
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET)) {
                    return flag(ch.socket().getOOBInline());
                }
            case "TCP_KEEPCNT": return extendedInt("TCP_KEEPCOUNT");
            case "TCP_KEEPIDLE": return extendedInt("TCP_KEEPIDLE");
            case "TCP_KEEPINTVL": return extendedInt("TCP_KEEPINTERVAL");
            case "IP_TOS": return Integer.toString(get(StandardSocketOptions.IP_TOS));
            case "TCP_NODELAY": return flag(get(StandardSocketOptions.TCP_NODELAY));
            default: return null;
        }
    }

    private static String flag(boolean b) { return b ? "yes" : "no"; }

    /** The value of an option on a fresh, unconnected IPv4 TCP socket, as stunnel reads it. */
    private static <T> T get(SocketOption<T> option) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET)) {
            return ch.getOption(option);
        }
    }

    private static String extendedInt(String field) throws IOException {
        SocketOption<?> opt;
        try {
            opt = (SocketOption<?>) Class.forName("jdk.net.ExtendedSocketOptions").getField(field).get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET)) {
            if (!ch.supportedOptions().contains(opt)) return null;
            return String.valueOf(ch.getOption(opt));
        }
    }

    // ---- getsockopt(2) through JNA, for what Java does not expose

    private static final Set<String> GENERIC_LINUX_ARCHS =
        Set.of("amd64", "x86_64", "x86", "i386", "i486", "i586", "i686", "aarch64", "arm", "riscv64", "s390x");

    private static boolean nativeAvailable() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
            && GENERIC_LINUX_ARCHS.contains(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));
    }

    private static String nativeDefault(Def d) {
        if (!nativeAvailable()) return "unknown";
        int level = switch (d.level()) {
            case SOCKET -> 1;   // SOL_SOCKET
            case IP -> 0;       // IPPROTO_IP
            case TCP -> 6;      // IPPROTO_TCP
            case IPV6 -> 41;    // IPPROTO_IPV6
        };
        try {
            return Raw.get(d.level() == Level.IPV6, level, d.linuxOpt(), d.type());
        } catch (LinkageError | RuntimeException e) {  // no JNA, no libc
            return "unknown";
        }
    }

    /** Kept apart so that SocketDefaults loads (and prints what Java can read) without JNA. */
    private static final class Raw {
        private interface C extends Library {
            int socket(int domain, int type, int protocol);
            int getsockopt(int fd, int level, int optname, Pointer optval, IntByReference optlen);
            int close(int fd);
        }

        private static final C LIBC = Native.load(org.jstunnel.os.CLibrary.NAME, C.class);
        private static final int AF_INET = 2, AF_INET6 = 10, SOCK_STREAM = 1;
        private static final int ENOPROTOOPT = 92, EOPNOTSUPP = 95;

        static String get(boolean ipv6, int level, int opt, Type type) {
            int fd = LIBC.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
            if (fd < 0) return "unknown";
            try {
                Memory buf = new Memory(64);
                buf.clear();
                IntByReference len = new IntByReference(64);
                if (LIBC.getsockopt(fd, level, opt, buf, len) != 0) {
                    int errno = Native.getLastError();
                    return errno == ENOPROTOOPT || errno == EOPNOTSUPP ? "write-only" : "unknown";
                }
                return switch (type) {
                    case FLAG -> flag(buf.getInt(0) != 0);
                    case INT -> Integer.toString(buf.getInt(0));
                    case LINGER -> buf.getInt(0) + ":" + buf.getInt(4);
                    case TIMEVAL -> {
                        NativeLong sec = buf.getNativeLong(0);
                        NativeLong usec = buf.getNativeLong(NativeLong.SIZE);
                        yield (int) sec.longValue() + ":" + (int) usec.longValue();
                    }
                    case STRING -> {
                        int n = Math.max(0, Math.min(len.getValue(), 63));
                        byte[] b = buf.getByteArray(0, n);
                        int end = 0;
                        while (end < n && b[end] != 0) end++;
                        yield new String(b, 0, end, StandardCharsets.UTF_8);
                    }
                };
            } finally {
                LIBC.close(fd);
            }
        }
    }
}
