package org.jstunnel.conn;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jstunnel.log.Log;
import org.jstunnel.net.Fds;
import org.jstunnel.net.SocketAddresses;
import org.jstunnel.os.Spawn;

/**
 * stunnel's connect_local: the {@code exec} program becomes one end of the connection. As stunnel's
 * make_sockets, a connected pair of loopback TCP sockets: the program gets one as its stdin and
 * stdout (and stderr, unless jstunnel logs to stderr), jstunnel keeps the other as an ordinary socket, so the
 * data path is the same as for a network peer (direct buffers, no copy into the Java heap,
 * half-close with shutdown). The child is reaped by a small thread that logs its exit status.
 */
final class LocalProgram {
    private static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LocalProgram() {}

    /**
     * Starts the program; {@code env} holds stunnel's variables (REMOTE_HOST, ...), which come
     * before, and replace, the inherited ones of the same name.
     */
    static SocketEnd start(ExecSpec spec, Map<String, String> env) throws IOException {
        return start(spec, env, DEFAULT_STACK);
    }

    /** stunnel's default {@code stack}: 64 KiB (the JVM raises a platform thread's stack to its minimum). */
    static final long DEFAULT_STACK = 65536;

    /** As {@link #start(ExecSpec, Map)}; the thread that waits for the child gets {@code stackSize} ({@code stack}). */
    static SocketEnd start(ExecSpec spec, Map<String, String> env, long stackSize) throws IOException {
        SocketChannel[] pair = pair();
        SocketChannel mine = pair[0], theirs = pair[1];
        int pid;
        try {
            int fd = Fds.of(theirs);
            if (fd < 0) throw new IOException("exec: cannot find the socket's descriptor (needs --add-opens java.base/sun.nio.ch)");
            // stunnel: the program's stderr joins the connection too, unless the log itself goes to stderr
            pid = Spawn.spawn(spec.path(), spec.argv(), environment(env), fd, !Log.logsToStderr());
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(mine);
            throw e;
        } finally {
            closeQuietly(theirs);
        }
        Log.info("Local mode child started (PID=" + pid + ")");
        reapLater(pid, stackSize);
        return new SocketEnd(mine);
    }

    /** make_sockets: a listener on 127.0.0.1:0, connect, accept, listener closed. */
    static SocketChannel[] pair() throws IOException {
        try (ServerSocketChannel l = ServerSocketChannel.open()) {
            l.bind(new InetSocketAddress(LOOPBACK, 0), 1);
            SocketChannel theirs = SocketChannel.open(l.getLocalAddress());
            try {
                SocketChannel mine = l.accept();
                // someone else on this host may have raced us to the ephemeral port: only our own will do
                SocketAddress peer = mine.getRemoteAddress();
                if (!peer.equals(theirs.getLocalAddress())) {
                    closeQuietly(mine);
                    throw new IOException("make_sockets: unexpected connection from " + SocketAddresses.format(peer));
                }
                mine.socket().setTcpNoDelay(true);
                return new SocketChannel[] {mine, theirs};
            } catch (IOException | RuntimeException e) {
                closeQuietly(theirs);
                throw e;
            }
        }
    }

    static List<String> environment(Map<String, String> first) {
        Map<String, String> all = new LinkedHashMap<>(first);
        for (var e : org.jstunnel.os.Environment.current().entrySet()) { // with setEnv's changes
            // the daemon JVM's marker (org.jstunnel.Daemonizer) is no business of the program's
            if (e.getKey().equals("JSTUNNEL_DAEMON_CHILD")) continue;
            all.putIfAbsent(e.getKey(), e.getValue());
        }
        List<String> out = new ArrayList<>(all.size());
        all.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** stunnel logs the exit status in its main thread when SIGCHLD arrives. */
    static void reapLater(int pid, long stackSize) {
        Thread.ofPlatform().daemon(true).name("jstunnel-child-" + pid).stackSize(stackSize).start(() -> {
            // a new platform thread has no connection context: it logs as "ui", like stunnel's main thread
            try {
                int status = Spawn.waitFor(pid);
                Log.info("Child process " + pid + " " + Spawn.describeStatus(status));
            } catch (IOException e) {
                Log.debug("waitpid " + pid + ": " + e.getMessage());
            }
        });
    }

    static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing: nothing left to lose
        }
    }
}
