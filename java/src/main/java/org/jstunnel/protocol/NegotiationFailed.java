package org.jstunnel.protocol;

import java.io.IOException;

/**
 * A negotiation ended as stunnel's throw_exception: the reason is already logged in stunnel's words;
 * {@code reset} says whether the sockets then get a RST (throw_exception(c, 1)) or a plain close (2).
 */
public final class NegotiationFailed extends IOException {
    private final boolean reset;

    private NegotiationFailed(boolean reset) {
        super("protocol negotiation failed");
        this.reset = reset;
    }

    /** Logs {@code message} as an error; the connection ends with a reset. */
    public static NegotiationFailed reset(String message) {
        if (message != null) org.jstunnel.log.Log.err(message);
        return new NegotiationFailed(true);
    }

    /** Logs {@code message} as an error (if any); the connection ends with a plain close. */
    public static NegotiationFailed close(String message) {
        if (message != null) org.jstunnel.log.Log.err(message);
        return new NegotiationFailed(false);
    }

    public boolean resetSockets() { return reset; }
}
