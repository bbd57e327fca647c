package org.jstunnel.it.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A stunnel.conf built by a test. The globals every test needs ({@code foreground = yes},
 * {@code pid =} empty, {@code debug = info}, {@code syslog = no}) are preset; {@code output} is set
 * by {@link #render(Path)} to the log file the harness tails.
 */
public final class StunnelConfig {
    private final List<String> globals = new ArrayList<>();
    private final Map<String, List<String>> services = new LinkedHashMap<>();

    public StunnelConfig() {
        global("foreground", "yes");
        global("pid", "");
        global("debug", "info");
        global("syslog", "no");
    }

    /** Adds (or, if present, replaces) a global option. */
    public StunnelConfig global(String name, String value) {
        globals.removeIf(l -> l.startsWith(name + " ="));
        globals.add(name + " = " + value);
        return this;
    }

    /** Adds a verbatim global line (for malformed-config tests). */
    public StunnelConfig globalRaw(String line) {
        globals.add(line);
        return this;
    }

    /** Adds service {@code [name]}; {@code body} fills in its options. */
    public StunnelConfig service(String name, Consumer<Section> body) {
        Section s = new Section();
        body.accept(s);
        services.put(name, s.lines);
        return this;
    }

    public StunnelConfig removeService(String name) {
        services.remove(name);
        return this;
    }

    /** A deep copy, to derive a reloaded configuration from a running one. */
    public StunnelConfig copy() {
        StunnelConfig c = new StunnelConfig();
        c.globals.clear();
        c.globals.addAll(globals);
        services.forEach((k, v) -> c.services.put(k, new ArrayList<>(v)));
        return c;
    }

    public String render(Path logFile) {
        StringBuilder sb = new StringBuilder("; written by the jstunnel end-to-end tests\n");
        for (String g : globals) {
            sb.append(g).append('\n');
        }
        sb.append("output = ").append(logFile).append('\n');
        services.forEach((name, lines) -> {
            sb.append('\n').append('[').append(name).append("]\n");
            lines.forEach(l -> sb.append(l).append('\n'));
        });
        return sb.toString();
    }

    /** Options of one service section, in order (repeatable options like connect or checkHost allowed). */
    public static final class Section {
        private final List<String> lines = new ArrayList<>();

        public Section set(String name, Object value) {
            lines.add(name + " = " + value);
            return this;
        }

        public Section raw(String line) {
            lines.add(line);
            return this;
        }

        public Section accept(String address) {
            return set("accept", address);
        }

        public Section connect(int port) {
            return set("connect", Ports.loopback(port));
        }

        public Section client() {
            return set("client", "yes");
        }

        /** {@code cert} and {@code key} of a PKI entity (or only {@code cert} for a combined file). */
        public Section identity(TestPki.Entity e) {
            set("cert", e.certFile());
            if (!e.keyFile().equals(e.certFile())) {
                set("key", e.keyFile());
            }
            return this;
        }
    }
}
