package org.jstunnel.config;

import java.util.List;

/** A validated configuration: the global section and the services, in file order. */
public final class Configuration {
    private final String sourceName;
    private final GlobalOptions global;
    private final List<ServiceOptions> services;
    private final boolean inetdMode;

    Configuration(String sourceName, GlobalOptions global, List<ServiceOptions> services, boolean inetdMode) {
        this.sourceName = sourceName;
        this.global = global;
        this.services = List.copyOf(services);
        this.inetdMode = inetdMode;
    }

    public GlobalOptions global() {
        return global;
    }

    /** The [sections] in file order; in inetd mode the one service formed by the global section. */
    public List<ServiceOptions> services() {
        return services;
    }

    /** The service with this [section] name, or null. */
    public ServiceOptions service(String name) {
        for (ServiceOptions s : services) {
            if (s.name().equals(name)) return s;
        }
        return null;
    }

    /** No [section]: stunnel serves one connection on stdin/stdout (started by inetd). */
    public boolean inetdMode() {
        return inetdMode;
    }

    /** The name errors use for the main file: its real path, or the descriptor number. */
    public String sourceName() {
        return sourceName;
    }
}
