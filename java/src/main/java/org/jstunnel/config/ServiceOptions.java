package org.jstunnel.config;

import java.util.List;
import java.util.Objects;

/**
 * One service: a [section] (which started as a copy of the global section's service options), or in
 * inetd mode the global section's service options themselves.
 */
public final class ServiceOptions extends Options {
    private final String name;
    private final boolean inetd;

    ServiceOptions(String name, List<Assignment> assignments, boolean inetd) {
        super(assignments);
        this.name = name;
        this.inetd = inetd;
    }

    @Override
    boolean holds(OptionSpec spec) {
        return spec.scope() == Scope.SERVICE;
    }

    @Override
    String defaultValue(OptionSpec spec) {
        return switch (spec.name()) {
            case "key" -> string("cert"); // options.c: key defaults to cert
            case "service" -> inetd ? spec.defaultValue() : name;
            default -> spec.defaultValue();
        };
    }

    @Override
    public String string(String option) {
        // options.c CMD_INITIALIZE: the delayed resolver forces priority failover
        if (spec(option).name().equals("failover") && bool("delay")) return "prio";
        return super.string(option);
    }

    /** The [section] name; in inetd mode the {@code service} option (default "stunnel"). */
    public String name() {
        return name;
    }

    /** True for the single service of a configuration without [sections]. */
    public boolean isInetd() {
        return inetd;
    }

    /** accept addresses in file order (global section's first); host defaults to 0.0.0.0. */
    public List<Address> accept() {
        return strings("accept").stream().map(v -> Address.parse(v, Address.ANY_IPV4)).toList();
    }

    /** connect addresses in file order (global section's first); host defaults to localhost. */
    public List<Address> connect() {
        return strings("connect").stream().map(v -> Address.parse(v, Address.LOCALHOST)).toList();
    }

    /** redirect addresses in file order. */
    public List<Address> redirect() {
        return strings("redirect").stream().map(v -> Address.parse(v, Address.LOCALHOST)).toList();
    }

    /** The {@code local} source address (port 0), or null. */
    public Address local() {
        String host = string("local");
        if (host == null) return null;
        return new Address(Address.unbracket(host), 0, null);
    }

    /** The service's log level 0..7. */
    public int logLevel() {
        return integer("debug");
    }

    /**
     * Whether a peer certificate is requested: stunnel sets this, and never clears it, on
     * {@code verify}, {@code requireCert = yes}, {@code verifyChain = yes} or {@code verifyPeer = yes}.
     */
    public boolean requestCert() {
        for (Assignment a : assignments()) {
            if (a.implied()) continue;
            switch (a.spec().name()) {
                case "verify" -> { return true; }
                case "requireCert", "verifyChain", "verifyPeer" -> {
                    if ("yes".equals(a.value())) return true;
                }
                default -> { }
            }
        }
        return false;
    }

    /**
     * The server name a client sends (options.c sni_init): {@code sni} if set (empty = send none),
     * else the host of {@code protocolHost}, else of the first {@code connect} (a bare port gives
     * "localhost"). Null in server mode or when there is nothing to send.
     */
    public String sniServerName() {
        if (!bool("client")) return null;
        if (isSet("sni")) return string("sni");
        String target = string("protocolHost");
        if (target == null) {
            List<String> connect = strings("connect");
            if (connect.isEmpty()) return null;
            target = connect.get(0);
        }
        int colon = target.lastIndexOf(':');
        return colon >= 0 ? target.substring(0, colon) : "localhost";
    }

    /** Value-based: same name and same effective option values (line numbers do not matter). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceOptions s && name.equals(s.name) && inetd == s.inetd
                && effectiveValues().equals(s.effectiveValues());
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, effectiveValues());
    }

    @Override
    public String toString() {
        return "ServiceOptions[" + name + ": " + describe() + "]";
    }
}
