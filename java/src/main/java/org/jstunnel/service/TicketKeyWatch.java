package org.jstunnel.service;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jstunnel.config.BadValueException;
import org.jstunnel.config.TicketKeyFile;
import org.jstunnel.log.Log;
import org.jstunnel.ssl.OpenSslException;
import org.jstunnel.ssl.SslContext;

/**
 * {@code ticketKeyFile}: loads the key ring into a service's context and keeps it current. A mounted
 * Kubernetes Secret or a config-management run changes the file without a signal, so one daemon
 * thread reads every watched file every {@link #PERIOD_MS} ms and swaps the ring when the content
 * changed; a reload (SIGHUP) checks at once. A file that no longer reads keeps the previous ring.
 */
final class TicketKeyWatch {
    static final long PERIOD_MS = 2000;

    private static final ReentrantLock LOCK = new ReentrantLock(); // not synchronized: no carrier pinned
    private static final Map<SslContext, Watched> WATCHED = new IdentityHashMap<>();
    private static ScheduledExecutorService timer;

    private static final class Watched {
        final String service;
        final String file;
        byte[] digest;

        Watched(String service, String file, byte[] digest) {
            this.service = service;
            this.file = file;
            this.digest = digest;
        }
    }

    private TicketKeyWatch() {}

    /** Loads the ring into {@code ctx} and watches the file until {@link #stop}; a bad file fails the service. */
    static void start(String service, String file, SslContext ctx) throws ServiceException {
        TicketKeyFile.Result r;
        try {
            r = TicketKeyFile.read(file);
        } catch (BadValueException e) {
            throw new ServiceException("Service [" + service + "]: " + e.reason(), e.details());
        }
        String name = r.ring().currentName();
        try {
            r.warnings().forEach(Log::warning);
            ctx.setTicketKeyRing(r.ring().keys(), r.ring().keyLength(), r.ring().encrypt());
        } catch (OpenSslException e) {
            throw new ServiceException("Service [" + service + "]: Failed to set ticket keys", e.logLines());
        } finally {
            r.ring().wipe();
        }
        Log.info("Service [" + service + "]: " + r.ring().count() + " ticket key(s) loaded from " + file
            + ", current key name " + name + "...");
        LOCK.lock();
        try {
            WATCHED.put(ctx, new Watched(service, file, r.ring().digest()));
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("jstunnel-ticket-keys").factory());
                timer.scheduleWithFixedDelay(TicketKeyWatch::checkAll, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** The service lets go of its context: no more checks for it. */
    static void stop(SslContext ctx) {
        LOCK.lock();
        try {
            WATCHED.remove(ctx);
        } finally {
            LOCK.unlock();
        }
    }

    /** Reads every watched file; a changed one replaces its service's ring. */
    static void checkAll() {
        LOCK.lock();
        try {
            for (Map.Entry<SslContext, Watched> e : List.copyOf(WATCHED.entrySet())) check(e.getKey(), e.getValue());
        } catch (RuntimeException e) {
            Log.err("Ticket key check failed: " + e); // the timer must go on
        } finally {
            LOCK.unlock();
        }
    }

    private static void check(SslContext ctx, Watched w) {
        TicketKeyFile.Result r;
        try {
            r = TicketKeyFile.read(w.file);
        } catch (BadValueException e) {
            // logged once, not every period, until the file reads again
            if (w.digest != null) {
                Log.err("Service [" + w.service + "]: " + e.reason() + ": " + String.join("; ", e.details())
                    + "; keeping the previous ticket keys");
                w.digest = null;
            }
            return;
        }
        try {
            if (w.digest != null && Arrays.equals(w.digest, r.ring().digest())) return;
            r.warnings().forEach(Log::warning);
            if (!ctx.setTicketKeyRing(r.ring().keys(), r.ring().keyLength(), r.ring().encrypt())) {
                WATCHED.remove(ctx);
                return;
            }
            w.digest = r.ring().digest();
            Log.notice("Service [" + w.service + "]: ticket keys reloaded from " + w.file + ": " + r.ring().count()
                + " key(s), current key name " + r.ring().currentName() + "...");
        } catch (OpenSslException e) {
            Log.err("Service [" + w.service + "]: Failed to set ticket keys; keeping the previous ones");
        } finally {
            r.ring().wipe();
        }
    }
}
