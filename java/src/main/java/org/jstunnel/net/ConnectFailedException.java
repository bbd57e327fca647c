package org.jstunnel.net;

import java.io.IOException;

/** Every {@code connect} target failed; each failure was already logged as stunnel logs it. */
public final class ConnectFailedException extends IOException {
    public ConnectFailedException(IOException last) {
        super("No more addresses to connect", last);
    }
}
