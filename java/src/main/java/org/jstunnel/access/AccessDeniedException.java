package org.jstunnel.access;

import java.io.IOException;

/** A connection refused by libwrap or ident, already logged in stunnel's words: it ends with a reset. */
public final class AccessDeniedException extends IOException {
    public AccessDeniedException(String why) { super(why); }
}
