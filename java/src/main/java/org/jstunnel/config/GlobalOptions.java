package org.jstunnel.config;

import java.util.List;

/**
 * The global section: global options, and the service options written there (the defaults every
 * [section] starts with).
 */
public final class GlobalOptions extends Options {
    private final String logFacility;

    GlobalOptions(List<Assignment> assignments, String logFacility) {
        super(assignments);
        this.logFacility = logFacility;
    }

    @Override
    boolean holds(OptionSpec spec) {
        return true;
    }

    /** The syslog facility from {@code debug = FACILITY.LEVEL}; {@code daemon} by default. */
    public String logFacility() {
        return logFacility;
    }

    /** The global log level 0..7 ({@code debug} in the global section). */
    public int logLevel() {
        return integer("debug");
    }

    /**
     * The global section's own lines setting any of {@code options}, in file order (includes
     * followed). For order-dependent options: engine, engineCtrl, engineDefault, provider, providerParameter.
     */
    public List<OptionLine> lines(String... options) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        for (String o : options) wanted.add(spec(o).name());
        List<OptionLine> out = new java.util.ArrayList<>();
        for (Assignment a : assignments()) {
            if (a.implied() || !wanted.contains(a.spec().name()) || a.value() == null) continue;
            out.add(new OptionLine(a.spec().name(), a.value(), a.origin().where(), a.origin().text()));
        }
        return List.copyOf(out);
    }

    /** Value-based over effective option values (not line numbers). */
    @Override
    public boolean equals(Object o) {
        return o instanceof GlobalOptions g && logFacility.equals(g.logFacility)
                && effectiveValues().equals(g.effectiveValues());
    }

    @Override
    public int hashCode() {
        return effectiveValues().hashCode();
    }

    @Override
    public String toString() {
        return "GlobalOptions[" + describe() + "]";
    }
}
