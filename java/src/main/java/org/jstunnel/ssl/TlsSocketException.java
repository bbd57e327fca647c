package org.jstunnel.ssl;

import java.io.IOException;
import org.jstunnel.net.Errors;

/**
 * The socket under a TLS call failed (stunnel's SSL_ERROR_SYSCALL): logged as the call with the
 * socket's error, e.g. {@code SSL_accept: Connection reset by peer (104)}.
 */
public final class TlsSocketException extends IOException {
    public TlsSocketException(String call, IOException cause) {
        super(call + ": " + Errors.describe(cause), cause);
    }
}
