package org.jstunnel.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Name lookups for access checks (hosts.allow patterns): getaddrinfo/getnameinfo block in native
 * code, so they run on a few platform threads, never on a connection's virtual thread (it only
 * parks waiting for the answer), each with a deadline. A lookup that fails, times out or finds the
 * pool full answers "unknown", as libwrap treats a name it cannot look up.
 */
public final class NameLookups {
    private static final int THREADS = 4, QUEUE = 256;
    private static final long DEADLINE_MILLIS = 5000;

    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "jstunnel-lookup");
            t.setDaemon(true);
            return t;
        });

    static {
        POOL.allowCoreThreadTimeOut(true);
    }

    private NameLookups() {}

    /**
     * The verified host name of {@code addr} (reverse lookup, then a forward lookup that must give
     * the address back, as libwrap's paranoid check), {@link Client#UNKNOWN} if there is none, or
     * {@link Client#PARANOID} if the forward lookup disagrees.
     */
    public static String hostName(InetAddress addr) {
        return run(() -> {
            String name = InetAddress.getByAddress(addr.getAddress()).getCanonicalHostName();
            if (name.equals(addr.getHostAddress()) || name.isEmpty()) return Client.UNKNOWN;
            try {
                for (InetAddress a : InetAddress.getAllByName(name)) if (a.equals(addr)) return name;
            } catch (UnknownHostException e) {
                return Client.PARANOID;
            }
            return Client.PARANOID;
        }, Client.UNKNOWN);
    }

    /** Every address of {@code name}; empty if it does not resolve in time. */
    public static InetAddress[] addresses(String name) {
        return run(() -> InetAddress.getAllByName(name), new InetAddress[0]);
    }

    private static <T> T run(Callable<T> lookup, T fallback) {
        Future<T> f;
        try {
            f = POOL.submit(lookup);
        } catch (RejectedExecutionException e) {
            return fallback;
        }
        try {
            return f.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return fallback;
        } catch (ExecutionException e) {
            return fallback;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return fallback;
        }
    }
}
