package org.jstunnel.config;

/** For an implemented option, tells which values jstunnel cannot honour yet. */
@FunctionalInterface
public interface ValueSupport {
    ValueSupport ALL = value -> null;

    /** @return {@code null} when jstunnel honours the (normalized) value, else the reason to reject it in RUN mode */
    String unsupportedReason(String normalizedValue);
}
