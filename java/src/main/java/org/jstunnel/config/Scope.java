package org.jstunnel.config;

/** Where an option may appear. */
public enum Scope {
    /** Only in the global section (before the first [section]). */
    GLOBAL,
    /** In a [section]; in the global section it is a default every service starts with (stunnel's CMD_SET_COPY). */
    SERVICE
}
