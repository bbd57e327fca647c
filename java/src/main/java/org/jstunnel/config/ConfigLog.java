package org.jstunnel.config;

/**
 * Receives what stunnel logs while it reads a configuration ("Reading configuration from file ...",
 * "UTF-8 byte order mark not detected", "Initializing service [x]", ...). Levels are syslog's 0..7.
 */
@FunctionalInterface
public interface ConfigLog {
    ConfigLog NONE = (level, message) -> { };

    void log(int level, String message);
}
