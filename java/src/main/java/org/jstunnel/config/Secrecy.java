package org.jstunnel.config;

/** Which part of an option's value must never be echoed in a message. */
public enum Secrecy {
    NONE,
    /** The whole value (ticket keys, passwords). */
    VALUE,
    /** {@code COMMAND:PARAMETER} where the parameter is secret when the command names a PIN or password. */
    COMMAND_PARAMETER,
    /** {@code provider:name=value} where the value is secret when the name is a PIN or password. */
    NAMED_PARAMETER
}
