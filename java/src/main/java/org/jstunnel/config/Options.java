package org.jstunnel.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, read-only access to one section's options. Values are already validated and normalized:
 * booleans are {@code yes}/{@code no}, choices use the table's spelling ({@code rr}, {@code TLSv1.2}),
 * {@code debug} is a level name. Option names are matched case-insensitively.
 *
 * <p>Effective value = this section's own value &gt; the global section's (for service options) &gt;
 * the table default. Asking a {@link ServiceOptions} for a global-only option, or for an unknown one,
 * throws IllegalArgumentException.
 */
public abstract class Options {
    /** Inherited assignments first, then the section's own, each in file order. */
    private final List<Assignment> assignments;

    Options(List<Assignment> assignments) {
        this.assignments = List.copyOf(assignments);
    }

    /** Whether this kind of section holds the option at all. */
    abstract boolean holds(OptionSpec spec);

    /** The value when nothing sets the option; a hook for options whose default is another option. */
    String defaultValue(OptionSpec spec) {
        return spec.defaultValue();
    }

    /** Effective value; for a repeatable option the last one; null if none. */
    public String string(String option) {
        OptionSpec spec = spec(option);
        if (spec.repeatable()) {
            List<String> all = strings(option);
            return all.isEmpty() ? null : all.get(all.size() - 1);
        }
        Assignment a = last(spec);
        return a != null ? a.value() : defaultValue(spec);
    }

    /**
     * Every effective value of a repeatable option: the table defaults (which always apply, e.g.
     * {@code options} NO_SSLv2, NO_SSLv3), then the global section's, then this section's, in file
     * order, as stunnel appends them. For a single-valued option, its value as a 0- or 1-element list.
     */
    public List<String> strings(String option) {
        OptionSpec spec = spec(option);
        if (!spec.repeatable()) {
            String v = string(option);
            return v == null ? List.of() : List.of(v);
        }
        List<String> out = new ArrayList<>(spec.defaults());
        for (Assignment a : assignments) {
            if (a.target().equals(spec.name()) && a.value() != null) out.add(a.value());
        }
        return List.copyOf(out);
    }

    /** A yes/no option's effective value. */
    public boolean bool(String option) {
        OptionSpec spec = spec(option);
        if (spec.type() != ValueType.BOOLEAN) throw new IllegalArgumentException(spec.name() + " is not yes/no");
        return "yes".equals(string(option));
    }

    /** An integer option's effective value; for {@code debug} the level 0..7. */
    public int integer(String option) {
        OptionSpec spec = spec(option);
        String v = string(option);
        if (spec.type() == ValueType.DEBUG_LEVEL) return LogLevels.parseLevel(v.substring(v.lastIndexOf('.') + 1));
        if (spec.type() != ValueType.INTEGER) throw new IllegalArgumentException(spec.name() + " is not an integer");
        if (v == null) throw new IllegalStateException(spec.name() + " has no value");
        return Integer.parseInt(v);
    }

    /** Set by a line of the configuration (here or, for service options, in the global section). */
    public boolean isSet(String option) {
        return last(spec(option)) != null;
    }

    /** {@code FILE:LINE} of the line that set the effective value, or null if it is the default. */
    public String where(String option) {
        Assignment a = last(spec(option));
        return a == null ? null : a.origin().where();
    }

    /** The line that set the effective value (secrets masked), or null. */
    Origin origin(String option) {
        Assignment a = last(spec(option));
        return a == null ? null : a.origin();
    }

    List<Assignment> assignments() {
        return assignments;
    }

    /** Effective values of every option this section holds: what equality compares. */
    Map<String, List<String>> effectiveValues() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (OptionSpec s : OptionTable.all()) {
            if (holds(s)) m.put(s.name(), strings(s.name()));
        }
        return m;
    }

    final OptionSpec spec(String option) {
        OptionSpec spec = OptionTable.find(option);
        if (spec == null) throw new IllegalArgumentException("unknown option \"" + option + "\"");
        if (!holds(spec)) throw new IllegalArgumentException("\"" + spec.name() + "\" is a global option");
        return spec;
    }

    private Assignment last(OptionSpec spec) {
        for (int i = assignments.size() - 1; i >= 0; i--) {
            if (assignments.get(i).target().equals(spec.name())) return assignments.get(i);
        }
        return null;
    }

    /** Explicitly set options and values, secrets masked: safe to log. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Assignment a : assignments) {
            if (a.implied()) continue;
            if (b.length() > 0) b.append(", ");
            String v = a.spec().secrecy() == Secrecy.NONE ? a.value() : SecretMasker.MASK;
            b.append(a.spec().name()).append('=').append(v);
        }
        return b.toString();
    }
}
