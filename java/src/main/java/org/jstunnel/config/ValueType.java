package org.jstunnel.config;

/** The kind of value an option takes; drives typed access and the documentation. */
public enum ValueType {
    BOOLEAN,
    INTEGER,
    ENUM,
    /** {@code [HOST:]PORT} or a Unix socket path; see {@link Address}. */
    ADDRESS,
    HOST,
    PATH,
    STRING,
    /** {@code [FACILITY.]LEVEL}; {@link Options#integer} gives the level 0..7. */
    DEBUG_LEVEL,
    TLS_VERSION,
    /** An OpenSSL SSL_OP_ name without the prefix, optionally preceded by '-' to clear it. */
    TLS_OPTION,
    OCSP_FLAG,
    /** {@code a|l|r:OPTION=VALUE[:VALUE]}. */
    SOCKET_OPTION,
    /** 16 or 32 bytes in hexadecimal, colons allowed between bytes. */
    HEX_SECRET,
    /** {@code COMMAND[:PARAMETER]}. */
    COMMAND,
    /** A directory whose files are read in place of the line ({@code include}). */
    DIRECTORY
}
