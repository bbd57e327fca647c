package org.jstunnel.ssl;

import java.io.IOException;

/** The connection must end with a reset for a reason stunnel logs verbatim (e.g. a refused renegotiation). */
public final class TlsAbortException extends IOException {
    private static final long serialVersionUID = 1L;

    public TlsAbortException(String message) {
        super(message);
    }
}
