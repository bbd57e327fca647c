package org.jstunnel.service;

import java.util.List;

/** A service that cannot start: logged as the configuration failing. */
public final class ServiceException extends Exception {
    private final List<String> details;

    public ServiceException(String message, List<String> details) {
        super(message);
        this.details = List.copyOf(details);
    }

    /** OpenSSL's error queue lines, oldest first. */
    public List<String> details() { return details; }
}
