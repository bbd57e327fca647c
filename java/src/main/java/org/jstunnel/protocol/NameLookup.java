package org.jstunnel.protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jstunnel.log.Log;

/**
 * Name lookups a negotiation asks for (a SOCKS 4a/5 host name, a CONNECT request's target): getaddrinfo
 * blocks in native code, so it runs on a small bounded pool of platform threads, never on a carrier
 * of the connection's virtual thread, with a deadline. A lookup that fails, times out or finds the
 * pool full resolves to nothing (logged as stunnel's "Error resolving").
 */
final class NameLookup {
    private static final int THREADS = 4, QUEUE = 256;
    private static final ThreadPoolExecutor POOL = pool();

    private NameLookup() {}

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor p = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "jstunnel-protocol-resolver");
                t.setDaemon(true);
                return t;
            });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /**
     * Every address of {@code host} (null: the loopback addresses, as getaddrinfo without a node),
     * with {@code port}; empty when nothing resolves within {@code deadlineSeconds}.
     */
    static List<SocketAddress> resolve(String host, int port, int deadlineSeconds) {
        String shown = host == null ? "localhost" : host;
        Future<InetAddress[]> f;
        try {
            f = POOL.submit(() -> host == null ? InetAddress.getAllByName(null) : InetAddress.getAllByName(host));
        } catch (RejectedExecutionException e) {
            Log.err("Error resolving \"" + shown + "\": Temporary failure in name resolution (EAI_AGAIN)");
            return List.of();
        }
        try {
            InetAddress[] all = f.get(Math.max(1, deadlineSeconds), TimeUnit.SECONDS);
            List<SocketAddress> out = new ArrayList<>(all.length);
            for (InetAddress a : all) out.add(new InetSocketAddress(a, port));
            return out;
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof UnknownHostException ? "Neither nodename nor servname known (EAI_NONAME)"
                : String.valueOf(e.getCause());
            Log.err("Error resolving \"" + shown + "\": " + why);
            return List.of();
        } catch (TimeoutException e) {
            f.cancel(true);
            Log.err("Error resolving \"" + shown + "\": Temporary failure in name resolution (EAI_AGAIN)");
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return List.of();
        }
    }
}
