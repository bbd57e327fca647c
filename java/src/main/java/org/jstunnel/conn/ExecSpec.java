package org.jstunnel.conn;

import java.util.List;

/**
 * A service's {@code exec} program: its path and its argv ({@code execArgs} split on blanks, or the
 * path alone).
 */
public record ExecSpec(String path, List<String> argv) {
    public ExecSpec {
        argv = List.copyOf(argv);
    }

    /** options.c arg_alloc: arguments separated by any amount of whitespace, no quoting. */
    public static List<String> splitArgs(String execArgs) {
        String t = execArgs.strip();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
    }
}
