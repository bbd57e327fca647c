package org.jstunnel.config;

/** Whether jstunnel honours an option. */
public enum Status {
    IMPLEMENTED,
    /** Parsed and validated, but rejected in {@link Strictness#RUN} mode. */
    NOT_IMPLEMENTED,
    /** WIN32 or GUI only: stunnel on Linux does not know it either, so it is rejected in every mode. */
    UNSUPPORTED_PLATFORM
}
