package org.jstunnel.config;

import java.util.List;

/**
 * One row of the option table.
 *
 * @param name canonical spelling (matching is case-insensitive, as stunnel's strcasecmp)
 * @param aliases other names stunnel accepts ({@code curve}, {@code session})
 * @param type the kind of value
 * @param scope where the option may appear
 * @param defaults the effective value(s) when not set; empty for "none". For repeatable options every
 *     element applies (e.g. {@code options} = NO_SSLv2, NO_SSLv3)
 * @param repeatable true if every occurrence counts (stunnel appends to a list); false if a later one
 *     replaces an earlier one (stunnel never rejects a repeated option)
 * @param inherited false for the one service option a [section] does not copy from the global section
 *     ({@code service})
 * @param status whether jstunnel honours it
 * @param secrecy which part of the value is never echoed
 * @param syntax the value as the manual writes it, e.g. {@code yes | no}
 * @param summary the manual's one-line description
 * @param description stunnel's {@code -help} text for the option (what {@code -help} prints after "name = ")
 * @param note jstunnel's remark for docs/options.md (defaults, partial support); may be empty
 * @param check validation and normalization of one value
 * @param support for an implemented option, the values jstunnel cannot honour yet
 */
public record OptionSpec(
        String name,
        List<String> aliases,
        ValueType type,
        Scope scope,
        List<String> defaults,
        boolean repeatable,
        boolean inherited,
        Status status,
        Secrecy secrecy,
        String syntax,
        String summary,
        String description,
        String note,
        ValueCheck check,
        ValueSupport support) {

    public OptionSpec {
        aliases = List.copyOf(aliases);
        defaults = List.copyOf(defaults);
    }

    /** The single default value, or null for none. */
    public String defaultValue() {
        return defaults.isEmpty() ? null : defaults.get(0);
    }

    public boolean matches(String optionName) {
        if (name.equalsIgnoreCase(optionName)) return true;
        for (String a : aliases) {
            if (a.equalsIgnoreCase(optionName)) return true;
        }
        return false;
    }

    public boolean validInServiceSection() {
        return scope == Scope.SERVICE;
    }

    /** Fluent construction, so the table reads one option per statement. */
    static final class Builder {
        private final String name;
        private final Scope scope;
        private final ValueType type;
        private List<String> aliases = List.of();
        private List<String> defaults = List.of();
        private boolean repeatable;
        private boolean inherited = true;
        private Status status = Status.NOT_IMPLEMENTED;
        private Secrecy secrecy = Secrecy.NONE;
        private String syntax = "";
        private String summary = "";
        private String description = "";
        private String note = "";
        private ValueCheck check;
        private ValueSupport support = ValueSupport.ALL;

        Builder(String name, Scope scope, ValueType type) {
            this.name = name;
            this.scope = scope;
            this.type = type;
            this.check = type == ValueType.BOOLEAN ? ValueChecks.yesNo() : ValueChecks.any();
        }

        Builder syntax(String s) { syntax = s; return this; }
        Builder about(String s) { summary = s; return this; }
        Builder help(String s) { description = s; return this; }
        Builder note(String s) { note = s; return this; }
        Builder aliases(String... a) { aliases = List.of(a); return this; }
        Builder defaults(String... d) { defaults = List.of(d); return this; }
        Builder repeatable() { repeatable = true; return this; }
        Builder notInherited() { inherited = false; return this; }
        Builder implemented() { status = Status.IMPLEMENTED; return this; }
        Builder unsupportedPlatform() { status = Status.UNSUPPORTED_PLATFORM; return this; }
        Builder secret(Secrecy s) { secrecy = s; return this; }
        Builder check(ValueCheck c) { check = c; return this; }
        Builder support(ValueSupport s) { support = s; return this; }

        OptionSpec build() {
            return new OptionSpec(name, aliases, type, scope, defaults, repeatable, inherited, status, secrecy,
                    syntax, summary, description, note, check, support);
        }
    }
}
