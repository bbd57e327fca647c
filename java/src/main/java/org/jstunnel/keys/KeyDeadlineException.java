package org.jstunnel.keys;

import java.util.concurrent.CompletableFuture;

/** A handshake step that needed a token key did not run in time (or could not be queued). */
public final class KeyDeadlineException extends Exception {
    private final transient CompletableFuture<?> stillRunning;

    KeyDeadlineException(String message, CompletableFuture<?> stillRunning) {
        super(message);
        this.stillRunning = stillRunning;
    }

    /** Completes when the runner lets go of the SSL; null when the step never started (the SSL is free). */
    public CompletableFuture<?> stillRunning() { return stillRunning; }
}
