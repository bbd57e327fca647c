package org.jstunnel.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/** The value validators the option table is built from; reasons use stunnel's wording (options.c). */
final class ValueChecks {
    static final String YES_NO = "The argument needs to be either 'yes' or 'no'";

    private ValueChecks() {}

    static ValueCheck any() {
        return (v, g) -> v;
    }

    /** CApath, CAfile, CRLpath, CRLfile, pid: an empty value means "none" (also clearing an inherited one). */
    static ValueCheck emptyMeansNone() {
        return (v, g) -> v.isEmpty() ? null : v;
    }

    static ValueCheck nonEmpty(String reason) {
        return (v, g) -> {
            if (v.isEmpty()) throw new BadValueException(reason);
            return v;
        };
    }

    /** setuid: a user name (getpwnam, as stunnel while parsing) or a number; normalized to the number. */
    static ValueCheck userId() {
        return (v, g) -> {
            Integer id = v.isEmpty() ? null : org.jstunnel.os.Credentials.userId(v);
            if (id != null) return Integer.toUnsignedString(id);
            Long n = parseLong(v);
            if (n == null) throw new BadValueException("Illegal UID");
            return Integer.toUnsignedString(n.intValue());
        };
    }

    /** setgid: a group name (getgrnam) or a number; normalized to the number. */
    static ValueCheck groupId() {
        return (v, g) -> {
            Integer id = v.isEmpty() ? null : org.jstunnel.os.Credentials.groupId(v);
            if (id != null) return Integer.toUnsignedString(id);
            Long n = parseLong(v);
            if (n == null) throw new BadValueException("Illegal GID");
            return Integer.toUnsignedString(n.intValue());
        };
    }

    /** retry (stunnel 5.75): yes = 1000 ms, no, or a delay in milliseconds; normalized to "no" or the number. */
    static ValueCheck retryDelay() {
        return (v, g) -> {
            if (v.equalsIgnoreCase("yes")) return "1000";
            if (v.equalsIgnoreCase("no")) return "no";
            Long n = parseLong(v);
            if (n == null || n < 0) throw new BadValueException("Illegal retry delay");
            return Long.toString(n);
        };
    }

    static ValueCheck yesNo() {
        return oneOf(YES_NO, "yes", "no");
    }

    /** Case-insensitive choice; returns the canonical spelling. */
    static ValueCheck oneOf(String reason, String... choices) {
        return (v, g) -> {
            for (String c : choices) {
                if (c.equalsIgnoreCase(v)) return c;
            }
            throw new BadValueException(reason);
        };
    }

    /** strtol(value, &end, 10) with "not a number" rejected, plus a range stunnel leaves to chance. */
    static ValueCheck integer(long min, long max, String reason) {
        return (v, g) -> {
            Long n = parseLong(v);
            if (n == null || n < min || n > max) throw new BadValueException(reason);
            return Long.toString(n);
        };
    }

    /** Decimal with optional sign, nothing else; null if not a number or beyond 18 digits. */
    static Long parseLong(String v) {
        int i = 0;
        boolean negative = false;
        if (i < v.length() && (v.charAt(i) == '+' || v.charAt(i) == '-')) negative = v.charAt(i++) == '-';
        if (i == v.length() || v.length() - i > 18) return null;
        long n = 0;
        for (; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') return null;
            n = n * 10 + (c - '0');
        }
        return negative ? -n : n;
    }

    static ValueCheck address(String defaultHost) {
        return (v, g) -> {
            try {
                Address.parse(v, defaultHost);
            } catch (IllegalArgumentException e) {
                throw new BadValueException(e.getMessage());
            }
            return v;
        };
    }

    /** {@code local}: stunnel resolves it while parsing (hostport2addr), so an unresolvable host fails here. */
    static ValueCheck localHost() {
        return (v, g) -> {
            try {
                if (v.isEmpty()) throw new UnknownHostException(v); // Java would map "" to loopback
                InetAddress.getAllByName(v);
            } catch (UnknownHostException | SecurityException e) {
                throw new BadValueException("Failed to resolve local address");
            }
            return v;
        };
    }

    static ValueCheck tlsVersion() {
        return oneOf("Invalid protocol version", "all", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    }

    /** Order of protocol versions; "all" (0) means "no limit", as stunnel's 0. */
    static int tlsVersionRank(String canonical) {
        return List.of("all", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3").indexOf(canonical);
    }

    /**
     * {@code [FACILITY.]LEVEL}; a facility only in the global section (elsewhere the dot makes the
     * level illegal, as in stunnel). Normalized to {@code level} or {@code facility.level}, names lower-case.
     * Like stunnel's strtok, empty dot-separated pieces are skipped and pieces after the level ignored.
     */
    static ValueCheck debugLevel() {
        return (v, global) -> {
            if (global && v.indexOf('.') >= 0) {
                List<String> parts = java.util.Arrays.stream(v.split("\\.")).filter(s -> !s.isEmpty()).toList();
                String facility = parts.isEmpty() ? null : LogLevels.parseFacility(parts.get(0));
                if (facility == null) throw new BadValueException("Illegal syslog facility");
                int level = parts.size() < 2 ? -1 : LogLevels.parseLevel(parts.get(1));
                if (level < 0) throw new BadValueException("Illegal debug level");
                return facility + "." + LogLevels.levelName(level);
            }
            int level = LogLevels.parseLevel(v);
            if (level < 0) throw new BadValueException("Illegal debug level");
            return LogLevels.levelName(level);
        };
    }

    static ValueCheck tlsOption() {
        return (v, g) -> {
            boolean clear = v.startsWith("-");
            String name = TlsOptionNames.canonical(clear ? v.substring(1) : v);
            if (name == null) throw new BadValueException("Illegal TLS option");
            return clear ? "-" + name : name;
        };
    }

    private static final List<String> OCSP_FLAGS = List.of("NOCERTS", "NOINTERN", "NOSIGS", "NOCHAIN", "NOVERIFY",
            "NOEXPLICIT", "NOCASIGN", "NODELEGATED", "NOCHECKS", "TRUSTOTHER", "RESPID_KEY", "NOTIME");

    /** stunnel's names; the manual's spelling RESPIDKEY is accepted too (stunnel 5.63 only takes RESPID_KEY). */
    static ValueCheck ocspFlag() {
        return (v, g) -> {
            String upper = v.toUpperCase(Locale.ROOT);
            if (upper.equals("RESPIDKEY")) return "RESPID_KEY";
            if (OCSP_FLAGS.contains(upper)) return upper;
            throw new BadValueException("Illegal OCSP flag");
        };
    }

    /** {@code a|l|r:NAME=VALUE[:VALUE]}, as stunnel's socket_option_parse. */
    static ValueCheck socketOption() {
        return (v, g) -> {
            if (!socketOptionValid(v)) throw new BadValueException("Illegal socket option");
            return v;
        };
    }

    private static boolean socketOptionValid(String v) {
        if (v.length() < 2 || v.charAt(1) != ':' || "alr".indexOf(v.charAt(0)) < 0) return false;
        int eq = v.indexOf('=', 2);
        if (eq < 0) return false;
        SocketOptionNames.Kind kind = SocketOptionNames.kind(v.substring(2, eq));
        if (kind == null) return false;
        String value = v.substring(eq + 1);
        return switch (kind) {
            case FLAG -> value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("no")
                    || value.equals("1") || value.equals("0");
            case INT -> isInt(value);
            case LINGER, TIMEVAL -> {
                int colon = value.indexOf(':');
                yield colon < 0 ? isInt(value) : isInt(value.substring(0, colon)) && isInt(value.substring(colon + 1));
            }
            case STRING -> value.length() + 1 <= 16; // sizeof(OPT_UNION)
        };
    }

    private static boolean isInt(String s) {
        Long n = parseLong(s);
        return n != null && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE;
    }

    /**
     * ticketKeySecret/ticketMacSecret: OPENSSL_hexstr2buf (hex pairs, ':' allowed between them),
     * 16 or 32 bytes. Normalized to lower-case hex without colons. Details never contain the value.
     */
    static ValueCheck hexKey(String option) {
        return (v, g) -> {
            byte[] key = hexToBytes(v);
            if (key == null) {
                throw new BadValueException("Failed to read " + option,
                        List.of("Required " + option + " is 16 or 32 byte hexadecimal key"));
            }
            if (key.length != 16 && key.length != 32) {
                throw new BadValueException("Failed to read " + option,
                        List.of(option + " value has " + key.length + " bytes instead of required 16 or 32 bytes"));
            }
            StringBuilder hex = new StringBuilder();
            for (byte b : key) hex.append(String.format("%02x", b & 0xff));
            return hex.toString();
        };
    }

    /** OpenSSL's ossl_hexstr2buf_sep with ':'; null where OpenSSL fails. */
    static byte[] hexToBytes(String s) {
        if (s.length() <= 1) return null; // "hex string too short"
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            char hi = s.charAt(i++);
            if (hi == ':') continue;
            if (i >= s.length()) return null; // odd number of digits
            char lo = s.charAt(i++);
            int h = Character.digit(hi, 16), l = Character.digit(lo, 16);
            if (h < 0 || l < 0 || hi > 0x7f || lo > 0x7f) return null;
            out.write(h << 4 | l);
        }
        return out.toByteArray();
    }

    /** stunnel 5.75 providerParameter: {@code PROVIDER:NAME=VALUE}. */
    static ValueCheck providerParameter() {
        return (v, g) -> {
            int colon = v.indexOf(':');
            if (colon < 0 || v.indexOf('=', colon + 1) < 0) throw new BadValueException("Malformed parameter");
            return v;
        };
    }

    private static final List<String> PROTOCOLS =
            List.of("cifs", "capwin", "capwinctrl", "connect", "imap", "ldap", "nntp", "pgsql", "pop3", "proxy",
                    "smtp", "socks");

    /** Known protocol names are lower-cased; anything else is kept and rejected when the section ends. */
    /** One of stunnel's protocol names (already lower case); an unknown one fails when the section ends. */
    static boolean knownProtocol(String v) {
        return PROTOCOLS.contains(v);
    }

    static ValueCheck protocol() {
        return (v, g) -> {
            String lower = v.toLowerCase(Locale.ROOT);
            return PROTOCOLS.contains(lower) ? lower : v;
        };
    }

    /** transparent: the legacy yes/no are stored under their new names. */
    static ValueCheck transparent() {
        return (v, g) -> {
            String lower = v.toLowerCase(Locale.ROOT);
            return switch (lower) {
                case "none", "no" -> "none";
                case "source", "yes" -> "source";
                case "destination", "both" -> lower;
                default -> throw new BadValueException("Selected transparent proxy mode is not available");
            };
        };
    }
}
