package org.jstunnel.ssl;

import java.util.List;

/**
 * A failed OpenSSL call with its error queue, drained in the same native call that failed.
 * Each entry is {@code func@file:line: error:XXXXXXXX:lib::reason}, oldest first, as stunnel logs them.
 */
public final class OpenSslException extends Exception {
    private final String call;
    private final List<String> queue;

    // called from native code
    OpenSslException(String call, String[] queue) {
        super(call + (queue.length == 0 ? ": Peer suddenly disconnected" : ": " + queue[queue.length - 1]));
        this.call = call;
        this.queue = List.of(queue);
    }

    /** The C function that failed, e.g. {@code SSL_CTX_use_certificate_chain_file}. */
    public String call() { return call; }

    /** The error queue, oldest first; empty when the peer just went away. */
    public List<String> queue() { return queue; }

    /**
     * The lines stunnel's sslerror logs for this failure, in its order: the newer errors first as
     * "{@code error queue: ...}", the oldest last on the call's own line; "Peer suddenly disconnected"
     * when the queue is empty.
     */
    public List<String> logLines() { return logLines(call); }

    /** As {@link #logLines()}, naming the failed call {@code label} (e.g. the handshake as "SSL_accept"). */
    public List<String> logLines(String label) {
        if (queue.isEmpty()) return List.of(label + ": Peer suddenly disconnected");
        java.util.ArrayList<String> lines = new java.util.ArrayList<>(queue.size());
        for (int i = queue.size() - 1; i > 0; i--) lines.add("error queue: " + queue.get(i));
        lines.add(label + ": " + queue.get(0));
        return lines;
    }
}
