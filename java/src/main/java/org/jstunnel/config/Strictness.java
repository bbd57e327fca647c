package org.jstunnel.config;

/** How strictly a configuration is checked. */
public enum Strictness {
    /**
     * Validate the language, every value and every section check, but accept options jstunnel does not
     * implement yet. Used to prove the manual's examples parse. Also skips the "TLS server needs a
     * certificate" check, because the manual's snippets leave certificates out.
     */
    SYNTAX,
    /** What the daemon uses: everything {@link #SYNTAX} checks; any option or value jstunnel cannot honour fails. */
    RUN
}
