package org.jstunnel.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The socket options {@code socket = a|l|r:NAME=VALUE} accepts on Linux (stunnel's sock_opts_def
 * without the entries Linux lacks: TCP_MAXSEG, IP_BINDANY, IPV6_BINDANY, SO_EXCLUSIVEADDRUSE).
 * Names are case-sensitive, as stunnel compares them with strcmp.
 */
public final class SocketOptionNames {
    /** How a value is written. */
    public enum Kind { FLAG, INT, LINGER, TIMEVAL, STRING }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("SO_DEBUG", Kind.FLAG);
        KINDS.put("SO_DONTROUTE", Kind.FLAG);
        KINDS.put("SO_KEEPALIVE", Kind.FLAG);
        KINDS.put("SO_LINGER", Kind.LINGER);
        KINDS.put("SO_OOBINLINE", Kind.FLAG);
        KINDS.put("SO_RCVBUF", Kind.INT);
        KINDS.put("SO_SNDBUF", Kind.INT);
        KINDS.put("SO_RCVLOWAT", Kind.INT);
        KINDS.put("SO_SNDLOWAT", Kind.INT);
        KINDS.put("SO_RCVTIMEO", Kind.TIMEVAL);
        KINDS.put("SO_SNDTIMEO", Kind.TIMEVAL);
        KINDS.put("SO_REUSEADDR", Kind.FLAG);
        KINDS.put("SO_BINDTODEVICE", Kind.STRING);
        KINDS.put("TCP_KEEPCNT", Kind.INT);
        KINDS.put("TCP_KEEPIDLE", Kind.INT);
        KINDS.put("TCP_KEEPINTVL", Kind.INT);
        KINDS.put("IP_TOS", Kind.INT);
        KINDS.put("IP_TTL", Kind.INT);
        KINDS.put("TCP_NODELAY", Kind.FLAG);
        KINDS.put("IP_FREEBIND", Kind.FLAG);
        KINDS.put("IPV6_V6ONLY", Kind.FLAG);
    }

    private SocketOptionNames() {}

    /** Name to kind, in stunnel's order (what {@code stunnel -sockets} lists). */
    public static Map<String, Kind> all() {
        return java.util.Collections.unmodifiableMap(KINDS);
    }

    /** @return the kind, or null if stunnel on Linux does not know the name */
    public static Kind kind(String name) {
        return KINDS.get(name);
    }
}
