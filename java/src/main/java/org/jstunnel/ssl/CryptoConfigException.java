package org.jstunnel.ssl;

import java.util.List;

/**
 * The global engine/provider/FIPS setup failed. {@link #getMessage()} is the line to log, in stunnel's
 * {@code FILE:LINE: "LINE AS WRITTEN": REASON} form when a line is to blame (secrets masked);
 * {@link #details()} (OpenSSL's error queue and hints, never a PIN) are logged before it.
 */
public final class CryptoConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<String> details;

    public CryptoConfigException(String message, List<String> details) {
        super(message, null, false, false);
        this.details = List.copyOf(details);
    }

    static CryptoConfigException atLine(GlobalCrypto.Line line, String reason, List<String> details) {
        return new CryptoConfigException(line.where() + ": \"" + line.text() + "\": " + reason, details);
    }

    public List<String> details() {
        return details;
    }
}
