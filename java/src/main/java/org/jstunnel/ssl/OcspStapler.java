package org.jstunnel.ssl;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jstunnel.log.Log;
import org.jstunnel.log.LogContext;

/**
 * Server-side OCSP stapling (stunnel 5.75's ocsp_stapling and its per-minute cron job): the OCSP
 * response for the service's own certificate, fetched from its AIA responders by a small pool of
 * platform threads (never a connection's thread, never inside a handshake), cached, checked every
 * minute and fetched again before its nextUpdate. A handshake only reads the cache
 * ({@link #staple()}): a dead responder means no staple, never a failed or slower handshake.
 */
final class OcspStapler implements AutoCloseable {
    private static final int PERIOD_SECONDS = 60;   // stunnel's per-minute cron
    private static final int LEEWAY_SECONDS = 30;   // stunnel's leeway for its own staple
    private static final int MAX_MARGIN_SECONDS = 300;
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Shared by every service: two platform threads, each fetch bounded by its timeouts. */
    private static final ScheduledExecutorService POOL = pool();

    private final SslContext owner;
    private final OcspHttp http;
    private final LogContext logContext;
    private volatile byte[] cached;          // DER, conclusive, with a nextUpdate
    private volatile long cachedThisUpdate;
    private volatile long cachedNextUpdate;
    private volatile ScheduledFuture<?> task;

    private OcspStapler(SslContext owner, int timeoutOcsp, int timeoutBusy, int logLevel) {
        this.owner = owner;
        this.http = new OcspHttp(timeoutOcsp, timeoutBusy);
        this.logContext = new LogContext("per-minute", logLevel);
    }

    private static ScheduledExecutorService pool() {
        ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "jstunnel-ocsp-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        p.setRemoveOnCancelPolicy(true);
        return p;
    }

    /** Starts refreshing now and every minute (the first fetch runs in the background, not at start-up). */
    static OcspStapler start(SslContext owner, int timeoutOcsp, int timeoutBusy, int logLevel) {
        OcspStapler s = new OcspStapler(owner, timeoutOcsp, timeoutBusy, logLevel);
        s.task = POOL.scheduleWithFixedDelay(s::refreshQuietly, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
        return s;
    }

    /** The status callback: the cached response while it is still valid, else null (nothing stapled). */
    byte[] staple() {
        Log.debug("OCSP stapling: Server callback called");
        byte[] der = cached;
        if (der == null || System.currentTimeMillis() / 1000 > cachedNextUpdate + LEEWAY_SECONDS) return null;
        Log.debug("OCSP stapling: OCSP response sent back");
        return der;
    }

    private void refreshQuietly() {
        Log.setContext(logContext);
        try {
            if (!owner.tryRetain()) return; // the context is gone; close() cancels us
            try {
                refresh();
            } finally {
                owner.release();
            }
        } catch (RuntimeException e) {
            Log.err("OCSP: INTERNAL ERROR: " + e); // a bug must not stop the next refresh
        } finally {
            Log.clearContext();
        }
    }

    /** ocsp_stapling: keep a conclusive cached response until it is due, else ask the AIA responders. */
    void refresh() {
        long ctx = owner.handle();
        long now = System.currentTimeMillis() / 1000;
        byte[] der = cached;
        if (der != null) {
            OcspResponse r = OcspResponse.validate(ctx, 0, 0, der, NativeOcsp.OCSP_TRUSTOTHER, LEEWAY_SECONDS);
            if (r.conclusive() && now < refreshTime(r.thisUpdate(), r.nextUpdate())) {
                Log.debug("OCSP: Use the cached OCSP response");
                return;
            }
            if (!r.conclusive()) cached = null; // stunnel invalidates the cache before fetching
        }
        String[] urls = NativeOcsp.X509_get1_ocsp(ctx, 0);
        if (urls == null) {
            Log.info("OCSP: No AIA responder URL");
        } else if (urls.length == 0) {
            Log.info("OCSP: Empty AIA responder URL list");
        }
        byte[] request = null;
        if (urls != null && urls.length > 0) {
            try {
                request = NativeOcsp.OCSP_stapling_request(ctx);
            } catch (OpenSslException e) {
                OcspResponse.sslError("OCSP: " + e.call(), e);
            }
        }
        OcspResponse found = OcspResponse.INCONCLUSIVE;
        byte[] foundDer = null;
        for (int i = 0; request != null && urls != null && i < urls.length && !found.conclusive(); i++) {
            Log.notice("OCSP: Connecting the AIA responder \"" + urls[i] + "\"");
            byte[] answer = http.post(urls[i], request);
            if (answer == null) continue;
            found = OcspResponse.validate(ctx, 0, 0, answer, NativeOcsp.OCSP_TRUSTOTHER, LEEWAY_SECONDS);
            foundDer = answer;
        }
        if (!found.conclusive()) {
            Log.info("OCSP: No OCSP stapling response to send");
            return; // a still valid cached response stays until it expires
        }
        if (found.nextUpdate() < 0) return; // stunnel caches only responses with a nextUpdate
        cachedThisUpdate = found.thisUpdate();
        cachedNextUpdate = found.nextUpdate();
        cached = foundDer;
        Log.debug("OCSP: Response cached");
    }

    /**
     * When to fetch again: a quarter of the validity period before nextUpdate (at most 5 minutes
     * before), so a fresh response is in the cache before the old one expires. stunnel fetches only
     * once the cached one has expired.
     */
    static long refreshTime(long thisUpdate, long nextUpdate) {
        if (nextUpdate < 0) return Long.MIN_VALUE;
        long margin = Math.min(MAX_MARGIN_SECONDS, Math.max(0, nextUpdate - thisUpdate) / 4);
        return nextUpdate - margin;
    }

    /** The service went away (reload, shutdown): no more refreshes; connections keep the cached staple. */
    @Override
    public void close() {
        ScheduledFuture<?> t = task;
        if (t != null) t.cancel(false);
        http.close();
    }
}
