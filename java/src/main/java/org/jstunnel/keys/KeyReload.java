package org.jstunnel.keys;

import org.jstunnel.ssl.OpenSslException;

/** Loads a token key again, with a new session and login, after the old ones were lost. */
@FunctionalInterface
public interface KeyReload {
    /** A new EVP_PKEY handle (the caller owns it). Runs on a key runner: it may wait for the token. */
    long reload() throws OpenSslException;
}
