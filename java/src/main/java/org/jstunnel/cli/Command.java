package org.jstunnel.cli;

import java.nio.file.Path;

/** What stunnel's command line asks for: run a configuration, or print information and exit. */
public sealed interface Command {

    /** {@code stunnel [FILE]}: run the configuration file (as given, not yet resolved; see {@link CommandLine#realPath}). */
    record Run(Path file) implements Command {}

    /** {@code stunnel -fd N}: read the configuration from descriptor N (any int stunnel's strtol accepts, even negative). */
    record RunFd(int fd) implements Command {}

    /** {@code -help}: the configuration file options, with a short description each. */
    record Help() implements Command {}

    /** {@code -version}: the version and the compile-time defaults. */
    record Version() implements Command {}

    /** {@code -sockets}: the socket option defaults. */
    record Sockets() implements Command {}

    /** {@code -options}: the names {@code options =} accepts. */
    record Options() implements Command {}

    /** True for the commands that only print information (exit status 0, no configuration read). */
    default boolean isInfo() {
        return !(this instanceof Run) && !(this instanceof RunFd);
    }
}
