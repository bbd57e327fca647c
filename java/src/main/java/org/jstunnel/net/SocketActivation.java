package org.jstunnel.net;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jstunnel.log.Log;
import org.jstunnel.os.ListenFds;

/**
 * systemd socket activation (sd_listen_fds(3)): {@code LISTEN_PID} names this process,
 * {@code LISTEN_FDS} listening sockets start at descriptor 3, {@code LISTEN_FDNAMES} names them.
 * A service whose {@code accept} address is one of them takes it instead of binding; it gets a
 * duplicate, so closing it at a reload leaves systemd's socket here for the next bind.
 */
public final class SocketActivation {
    private static final int FIRST_FD = 3;

    /** One socket systemd passed: its descriptor, its name and what it is bound to. */
    record Passed(int fd, String name, ProtocolFamily family, SocketAddress address) {}

    private static volatile List<Passed> passed;

    private SocketActivation() {}

    /** The sockets systemd passed to this process (read once; none outside socket activation). */
    static synchronized List<Passed> passed() {
        if (passed == null) passed = read(System.getenv(), ProcessHandle.current().pid());
        return passed;
    }

    static List<Passed> read(Map<String, String> env, long pid) {
        String fds = env.get("LISTEN_FDS"), forPid = env.get("LISTEN_PID");
        if (fds == null || forPid == null) return List.of();
        int n;
        try {
            if (Long.parseLong(forPid.trim()) != pid) return List.of(); // meant for another process
            n = Integer.parseInt(fds.trim());
        } catch (NumberFormatException e) {
            Log.warning("systemd: ignoring LISTEN_FDS=" + fds + " LISTEN_PID=" + forPid + ": not numbers");
            return List.of();
        }
        String[] names = env.getOrDefault("LISTEN_FDNAMES", "").split(":", -1);
        List<Passed> out = new ArrayList<>();
        for (int i = 0; i < n && i < 1024; i++) {
            int fd = FIRST_FD + i;
            String name = i < names.length && !names[i].isEmpty() ? names[i] : "fd" + fd;
            ListenFds.closeOnExec(fd);
            int family = ListenFds.listeningStreamFamily(fd);
            ProtocolFamily pf = switch (family) {
                case ListenFds.AF_INET -> StandardProtocolFamily.INET;
                case ListenFds.AF_INET6 -> StandardProtocolFamily.INET6;
                case ListenFds.AF_UNIX -> StandardProtocolFamily.UNIX;
                default -> null;
            };
            if (pf == null) {
                Log.warning("systemd: passed descriptor " + fd + " (" + name + ") is not a listening stream socket: ignored");
                continue;
            }
            try (ServerSocketChannel probe = wrapDup(fd, pf)) {
                SocketAddress a = probe.getLocalAddress();
                out.add(new Passed(fd, name, pf, a));
                Log.info("systemd: listening socket " + name + " (FD=" + fd + ") on " + SocketAddresses.format(a));
            } catch (IOException e) {
                Log.warning("systemd: passed descriptor " + fd + " (" + name + "): " + Errors.describe(e) + ": ignored");
            }
        }
        return List.copyOf(out);
    }

    /**
     * A listening channel on a duplicate of the passed socket bound to {@code want}, or null when
     * systemd passed none for it.
     */
    static ServerSocketChannel take(SocketAddress want) throws IOException {
        for (Passed p : passed()) {
            if (matches(p.address(), want)) return wrapDup(p.fd(), p.family());
        }
        return null;
    }

    /**
     * The same address and port; {@code accept = PORT} (0.0.0.0) also takes systemd's
     * {@code ListenStream=PORT}, which is the dual-stack [::]:PORT.
     */
    static boolean matches(SocketAddress have, SocketAddress want) {
        if (have instanceof InetSocketAddress h && want instanceof InetSocketAddress w) {
            if (h.getPort() != w.getPort()) return false;
            if (h.getAddress().equals(w.getAddress())) return true;
            return w.getAddress().isAnyLocalAddress() && h.getAddress().isAnyLocalAddress();
        }
        return have.equals(want);
    }

    private static ServerSocketChannel wrapDup(int fd, ProtocolFamily family) throws IOException {
        int copy = ListenFds.dup(fd);
        try {
            return wrap(copy, family);
        } catch (IOException e) {
            ListenFds.close(copy);
            throw e;
        }
    }

    /**
     * The JDK has no public way to make a channel of a descriptor it did not open (only fd 0:
     * System.inheritedChannel), so the constructor its inherited channels use, through the
     * sun.nio.ch package bin/jstunnel opens.
     */
    private static ServerSocketChannel wrap(int fd, ProtocolFamily family) throws IOException {
        try {
            Method newFd = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
            newFd.setAccessible(true);
            FileDescriptor d = (FileDescriptor) newFd.invoke(null, fd);
            Constructor<?> c = Class.forName("sun.nio.ch.ServerSocketChannelImpl").getDeclaredConstructor(
                SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class);
            c.setAccessible(true);
            return (ServerSocketChannel) c.newInstance(SelectorProvider.provider(), family, d, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot use a socket passed by systemd (needs --add-opens java.base/sun.nio.ch): " + e, e);
        }
    }
}
