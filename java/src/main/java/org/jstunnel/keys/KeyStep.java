package org.jstunnel.keys;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jstunnel.log.Log;
import org.jstunnel.log.LogContext;
import org.jstunnel.ssl.NativeSsl;
import org.jstunnel.ssl.OpenSslException;

/**
 * The steps of one full handshake that use a token key, run on the token's {@link KeyRunner} while
 * the connection's virtual thread waits for them in plain Java (so it leaves its carrier). Made when
 * {@code SSL_do_handshake} on the virtual thread reports {@link NativeKeys#SSL_ERROR_WANT_X509_LOOKUP}.
 * The step that signs continues the handshake up to its next read; with RSA key exchange the key
 * also decrypts later, so such handshakes stay on the runner to the end.
 *
 * <p>The caller holds the SSL for the handshake; a runner uses it only while the caller waits, so
 * the SSL needs no other lock. When a call misses its deadline and has already started,
 * {@link KeyDeadlineException#stillRunning} says when the runner lets go of the SSL: it must not be
 * used or freed before.
 */
public final class KeyStep {
    private final KeyRunner runner;
    private final KeyRecovery recovery; // null: no recovery for this key source
    private final long ssl;
    private final boolean server;
    private boolean onRunner = true;
    private boolean first = true;
    private final LogContext logContext = Log.context(); // the connection's: recovery lines name it

    public KeyStep(KeyRunner runner, KeyRecovery recovery, long ssl, boolean server) {
        this.runner = runner;
        this.recovery = recovery;
        this.ssl = ssl;
        this.server = server;
    }

    public KeyRunner runner() { return runner; }

    /** The next SSL_do_handshake (its result as NativeSsl's): on the runner while the key may be needed. */
    public int doHandshake() throws OpenSslException, KeyDeadlineException {
        if (!onRunner) return NativeSsl.SSL_do_handshake(ssl);
        Call call = new Call(first);
        first = false;
        if (!runner.submit(call))
            throw new KeyDeadlineException("all " + runner.threads() + " key runners of " + runner.token()
                + " are busy and their queue is full", null);
        try {
            Result r = call.result.get(runner.deadline().toNanos(), TimeUnit.NANOSECONDS);
            onRunner = r.again();
            return r.code();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case OpenSslException o -> throw o;
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            String why = "private key operation on " + runner.token() + " missed its deadline ("
                + runner.deadline().toMillis() + " ms)";
            throw new KeyDeadlineException(why, call.cancel() ? null : call.result);
        }
    }

    private record Result(int code, boolean again) {}

    /** One SSL_do_handshake on a runner; cancelled only while still queued, so a cancelled one never touches the SSL. */
    private final class Call implements Runnable {
        private static final int QUEUED = 0, RUNNING = 1, CANCELLED = 2;
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private final CompletableFuture<Result> result = new CompletableFuture<>();
        private final boolean first;

        Call(boolean first) { this.first = first; }

        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, RUNNING)) return;
            int generation = -1;
            Log.setContext(logContext);
            try {
                if (first && recovery != null) generation = recovery.useOn(ssl);
                NativeKeys.SSL_set_on_key_runner(ssl, true);
                int code = NativeSsl.SSL_do_handshake(ssl);
                boolean again = code != 1 && server && NativeKeys.SSL_pending_kx_is_rsa(ssl);
                result.complete(new Result(code, again));
            } catch (OpenSslException e) {
                result.completeExceptionally(e); // the SSL is the connection's again
                if (recovery != null && generation >= 0) recovery.failed(e.queue(), generation);
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                Log.clearContext();
            }
        }

        boolean cancel() { return state.compareAndSet(QUEUED, CANCELLED); }
    }
}
