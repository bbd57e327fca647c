package org.jstunnel.it.unix.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jstunnel.it.support.Commands;

/**
 * The TCP sockets of a running process and their options, read from the outside: a python helper
 * takes a duplicate of each socket descriptor with pidfd_getfd(2) (root, Linux >= 5.6) and calls
 * getsockopt(2) on it. What the kernel says, not what the program believes it set.
 */
public final class LiveSockets {
    /** One socket: its address, its peer ("-" for a listener), its options by stunnel's names. */
    public record Sock(String local, String peer, Map<String, String> options) {
        public String get(String name) { return options.get(name); }
    }

    private static final String SCRIPT = """
            import ctypes, os, socket, struct, sys
            pid = int(sys.argv[1])
            libc = ctypes.CDLL(None, use_errno=True)
            pidfd = os.pidfd_open(pid)
            SOL, TCP, IP, IP6 = socket.SOL_SOCKET, socket.IPPROTO_TCP, socket.IPPROTO_IP, socket.IPPROTO_IPV6
            FLAGS = [("SO_DEBUG", SOL, 1), ("SO_DONTROUTE", SOL, 5), ("SO_KEEPALIVE", SOL, 9),
                     ("SO_OOBINLINE", SOL, 10), ("SO_REUSEADDR", SOL, 2), ("TCP_NODELAY", TCP, 1),
                     ("IP_FREEBIND", IP, 15)]
            INTS = [("SO_RCVBUF", SOL, 8), ("SO_SNDBUF", SOL, 7), ("SO_RCVLOWAT", SOL, 18), ("SO_SNDLOWAT", SOL, 19),
                    ("TCP_KEEPCNT", TCP, 6), ("TCP_KEEPIDLE", TCP, 4), ("TCP_KEEPINTVL", TCP, 5),
                    ("IP_TOS", IP, 1), ("IP_TTL", IP, 2)]
            def addr(a):
                return "[%s]:%d" % (a[0], a[1]) if ":" in a[0] else "%s:%d" % (a[0], a[1])
            for name in sorted(os.listdir("/proc/%d/fd" % pid), key=int):
                try:
                    if not os.readlink("/proc/%d/fd/%s" % (pid, name)).startswith("socket:"):
                        continue
                except OSError:
                    continue
                fd = libc.syscall(438, pidfd, int(name), 0)  # pidfd_getfd
                if fd < 0:
                    continue
                s = socket.socket(fileno=fd)
                try:
                    if s.type != socket.SOCK_STREAM or s.family not in (socket.AF_INET, socket.AF_INET6):
                        continue
                    six = s.family == socket.AF_INET6
                    try:
                        peer = addr(s.getpeername())
                    except OSError:
                        peer = "-"
                    out = [addr(s.getsockname()), peer]
                    for n, lvl, o in FLAGS:
                        if lvl == IP and six: continue
                        out.append("%s=%s" % (n, "yes" if s.getsockopt(lvl, o) else "no"))
                    for n, lvl, o in INTS:
                        if lvl == IP and six: continue
                        out.append("%s=%d" % (n, s.getsockopt(lvl, o)))
                    on, linger = struct.unpack("ii", s.getsockopt(SOL, 13, 8))
                    out.append("SO_LINGER=%d:%d" % (on, linger))
                    for n, o in (("SO_RCVTIMEO", 20), ("SO_SNDTIMEO", 21)):
                        sec, usec = struct.unpack("ll", s.getsockopt(SOL, o, 16))
                        out.append("%s=%d:%d" % (n, sec, usec))
                    dev = s.getsockopt(SOL, 25, 16).split(b"\\0")[0].decode() or "none"
                    out.append("SO_BINDTODEVICE=" + dev)
                    if six:
                        out.append("IPV6_V6ONLY=%s" % ("yes" if s.getsockopt(IP6, 26) else "no"))
                    print(" ".join(out))
                finally:
                    s.close()
            """;

    private LiveSockets() {}

    /** Every IPv4/IPv6 TCP socket of process {@code pid}. */
    public static List<Sock> of(Path dir, long pid) {
        Path script = dir.resolve("live-sockets.py");
        try {
            Files.writeString(script, SCRIPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Sock> out = new ArrayList<>();
        for (String line : Commands.run(dir, List.of("python3", script.toString(), Long.toString(pid))).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 3) continue;
            Map<String, String> o = new LinkedHashMap<>();
            for (int i = 2; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                o.put(f[i].substring(0, eq), f[i].substring(eq + 1));
            }
            out.add(new Sock(f[0], f[1], o));
        }
        return out;
    }

    /** The one socket whose local address is {@code local} and peer {@code peer} ("-": listening). */
    public static Sock find(List<Sock> socks, String local, String peer) {
        List<Sock> m = socks.stream().filter(s -> s.local().equals(local) && s.peer().equals(peer)).toList();
        if (m.size() != 1) throw new AssertionError("expected one socket " + local + " <-> " + peer + " in " + socks);
        return m.get(0);
    }

    /** The one socket whose peer is {@code peer}. */
    public static Sock byPeer(List<Sock> socks, String peer) {
        List<Sock> m = socks.stream().filter(s -> s.peer().equals(peer)).toList();
        if (m.size() != 1) throw new AssertionError("expected one socket with peer " + peer + " in " + socks);
        return m.get(0);
    }
}
