package org.jstunnel.config;

import java.util.List;

/** A value an option does not accept; {@code reason} uses stunnel's wording. */
public final class BadValueException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<String> details;

    public BadValueException(String reason) {
        this(reason, List.of());
    }

    /** @param details lines stunnel logs before the {@code FILE:LINE} error (never containing the value) */
    public BadValueException(String reason, List<String> details) {
        super(reason, null, false, false);
        this.details = List.copyOf(details);
    }

    public String reason() {
        return getMessage();
    }

    public List<String> details() {
        return details;
    }
}
