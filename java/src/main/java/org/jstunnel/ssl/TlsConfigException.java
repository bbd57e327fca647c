package org.jstunnel.ssl;

/** A TLS setting that cannot work, found while building a service's context (e.g. no certificate). */
public final class TlsConfigException extends Exception {
    public TlsConfigException(String message) { super(message); }
}
