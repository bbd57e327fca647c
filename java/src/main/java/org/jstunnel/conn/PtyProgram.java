package org.jstunnel.conn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jstunnel.log.Log;
import org.jstunnel.os.Pty;
import org.jstunnel.os.Spawn;

/**
 * {@code exec} with {@code pty = yes} (stunnel's connect_local with pty_allocate): the program runs in
 * a new session with a pseudo-terminal's slave as its controlling terminal and its stdin/stdout (and
 * stderr unless jstunnel logs to stderr). The terminal keeps its default settings (echo, line
 * discipline), as stunnel's openpty leaves them.
 *
 * <p>A terminal master is not a socket Java can wait on without blocking a carrier, so two small
 * platform threads (stack size from the {@code stack} option) relay between the master and one
 * side of a loopback socket pair; the connection gets the other side, a socket like any other.
 * As stunnel closes the terminal when the connection's side ends (no half-close on a terminal),
 * the end of the input closes the master: the program gets SIGHUP.
 */
final class PtyProgram {
    private static final int POLL_MILLIS = 200;

    private PtyProgram() {}

    static SocketEnd start(ExecSpec spec, Map<String, String> env, long stackSize) throws IOException {
        Pty pty = Pty.open();
        Log.debug("TTY=" + pty.slavePath() + " allocated");
        SocketChannel[] pair;
        try {
            pair = LocalProgram.pair();
        } catch (IOException | RuntimeException e) {
            Pty.close(pty.master());
            throw e;
        }
        int pid;
        int slave = -1;
        try {
            // held open while the program starts, so the terminal never looks hung up to the relay
            slave = pty.openSlave();
            pid = Spawn.spawnOnTerminal(spec.path(), spec.argv(), LocalProgram.environment(env), pty.slavePath(),
                !Log.logsToStderr());
        } catch (IOException | RuntimeException | Error e) {
            LocalProgram.closeQuietly(pair[0]);
            LocalProgram.closeQuietly(pair[1]);
            Pty.close(pty.master());
            throw e;
        } finally {
            Pty.close(slave);
        }
        Log.info("Local mode child started (PID=" + pid + ")");
        LocalProgram.reapLater(pid, stackSize);
        new Relay(pty, pair[1]).start(pid, stackSize);
        return new SocketEnd(pair[0]);
    }

    /** Copies terminal output to the socket and socket input to the terminal; owns the master. */
    private static final class Relay {
        private final Pty pty;
        private final SocketChannel sock;
        private final ReentrantLock masterLock = new ReentrantLock(); // a write never races the close
        private volatile boolean closing;
        private boolean masterClosed; // under masterLock

        Relay(Pty pty, SocketChannel sock) {
            this.pty = pty;
            this.sock = sock;
        }

        void start(int pid, long stackSize) {
            Thread.ofPlatform().daemon(true).name("jstunnel-pty-out-" + pid).stackSize(stackSize).start(this::out);
            Thread.ofPlatform().daemon(true).name("jstunnel-pty-in-" + pid).stackSize(stackSize).start(this::in);
        }

        /** Terminal to socket, until the program's side is closed or the input ended. */
        private void out() {
            byte[] buf = new byte[16384];
            try {
                while (!closing) {
                    if (!pty.awaitReadable(POLL_MILLIS)) continue;
                    int n = pty.read(buf);
                    if (n < 0) break;
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) sock.write(b);
                }
            } catch (IOException e) {
                Log.debug("pty: " + e.getMessage());
            } finally {
                closeMaster();
                try {
                    sock.shutdownOutput(); // the connection sees the program's end
                } catch (IOException ignored) {
                    // the connection is already gone
                }
            }
        }

        /** Socket to terminal, until the connection's side ends. */
        private void in() {
            ByteBuffer b = ByteBuffer.allocate(16384);
            try {
                while (sock.read(b) >= 0) {
                    masterLock.lock();
                    try {
                        if (masterClosed) break;
                        pty.write(b.array(), b.position());
                    } finally {
                        masterLock.unlock();
                    }
                    b.clear();
                }
            } catch (IOException e) {
                Log.debug("pty: " + e.getMessage());
            } finally {
                closing = true; // out() closes the master within POLL_MILLIS: the program gets SIGHUP
                LocalProgram.closeQuietly(sock);
            }
        }

        private void closeMaster() {
            masterLock.lock();
            try {
                if (!masterClosed) Pty.close(pty.master());
                masterClosed = true;
            } finally {
                masterLock.unlock();
            }
        }
    }
}
