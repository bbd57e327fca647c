package org.jstunnel.io;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jstunnel.log.Log;

/**
 * Waits for sockets to become readable on behalf of idle connections, so that an idle connection
 * holds no thread at all: a parked virtual thread keeps its stack (2–4 KB per direction), stunnel
 * keeps a whole thread. One platform thread waits in epoll_wait for every armed socket; when one
 * becomes readable (or hangs up) its callback runs on a new virtual thread.
 *
 * <p>Each wait is one-shot: {@link #arm} once per idle period, then the callback runs at most once,
 * unless {@link #cancel} removed it first. A socket must not be closed while armed: cancel first.
 */
public final class ReadinessWatcher {
    private static final Object INIT = new Object();
    private static volatile ReadinessWatcher instance;
    private static volatile boolean unavailable;

    private final int epfd;
    private final ConcurrentHashMap<Long, Runnable> armed = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();

    /** One socket's membership in the epoll set; used by one connection direction at a time. */
    public static final class Registration {
        final int fd;
        volatile boolean added; // in the epoll set (possibly disabled after a one-shot event)
        volatile long token;

        Registration(int fd) { this.fd = fd; }
    }

    private ReadinessWatcher(int epfd) {
        this.epfd = epfd;
        Thread.ofPlatform().name("jstunnel-readiness").daemon(true).start(this::loop);
    }

    /** The process's watcher, or null where epoll is unavailable (then connections block in reads). */
    public static ReadinessWatcher get() {
        ReadinessWatcher w = instance;
        if (w != null || unavailable) return w;
        synchronized (INIT) {
            if (instance == null && !unavailable) {
                int fd;
                try {
                    fd = NativeEpoll.epoll_create1(NativeEpoll.EPOLL_CLOEXEC);
                } catch (UnsatisfiedLinkError e) {
                    fd = -1;
                }
                if (fd < 0) {
                    unavailable = true;
                    return null;
                }
                instance = new ReadinessWatcher(fd);
            }
            return instance;
        }
    }

    /** A registration for {@code fd}; nothing is armed yet. */
    public Registration register(int fd) { return new Registration(fd); }

    /**
     * Runs {@code onReady} on a new virtual thread once the socket is readable or hung up.
     * @return false if the socket cannot be watched (e.g. already closed); nothing is armed then
     */
    public boolean arm(Registration r, Runnable onReady) {
        long token = tokens.incrementAndGet();
        r.token = token;
        armed.put(token, onReady); // before epoll_ctl: the event may come at once
        int events = NativeEpoll.EPOLLIN | NativeEpoll.EPOLLRDHUP | NativeEpoll.EPOLLONESHOT;
        int rc = NativeEpoll.epoll_ctl(epfd, r.added ? NativeEpoll.EPOLL_CTL_MOD : NativeEpoll.EPOLL_CTL_ADD, r.fd, events, token);
        if (rc == -NativeEpoll.EEXIST) rc = NativeEpoll.epoll_ctl(epfd, NativeEpoll.EPOLL_CTL_MOD, r.fd, events, token);
        else if (rc == -NativeEpoll.ENOENT) rc = NativeEpoll.epoll_ctl(epfd, NativeEpoll.EPOLL_CTL_ADD, r.fd, events, token);
        if (rc != 0) {
            armed.remove(token);
            return false;
        }
        r.added = true;
        return true;
    }

    /**
     * Disarms a wait and takes the socket out of the epoll set; call it before closing the socket.
     * @return true if the wait was still armed (its callback will not run)
     */
    public boolean cancel(Registration r) {
        boolean wasArmed = armed.remove(r.token) != null;
        if (r.added) {
            NativeEpoll.epoll_ctl(epfd, NativeEpoll.EPOLL_CTL_DEL, r.fd, 0, 0); // an error: already gone
            r.added = false;
        }
        return wasArmed;
    }

    /** Waits currently armed (idle connection directions). */
    public int armedCount() { return armed.size(); }

    private void loop() {
        long[] data = new long[256];
        int[] events = new int[256];
        while (true) {
            int n = NativeEpoll.epoll_wait(epfd, data, events, -1);
            if (n == -NativeEpoll.EINTR) continue;
            if (n < 0) {
                Log.err("epoll_wait: error " + (-n) + ": idle connections are no longer watched");
                return;
            }
            for (int i = 0; i < n; i++) {
                Runnable r = armed.remove(data[i]);
                if (r != null) Thread.ofVirtual().name("jstunnel-io").start(r);
            }
        }
    }
}
