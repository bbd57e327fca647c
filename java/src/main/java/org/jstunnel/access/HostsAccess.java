package org.jstunnel.access;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * hosts_access(5) as libwrap (tcp_wrappers 7.6 with Debian's IPv6, wildcard and options patches)
 * decides: the first rule of hosts.allow whose daemon list matches the service name and whose client
 * list matches the client grants access; else the first matching rule of hosts.deny denies it; else
 * access is granted. A rule's third field may say {@code allow} or {@code deny} (hosts_options(5));
 * other options (spawn, twist, ...) are not run. The files are read for every connection, as
 * libwrap does, so edits apply at once.
 *
 * <p>Patterns: {@code ALL}, {@code KNOWN}, {@code UNKNOWN}, {@code PARANOID}, {@code LOCAL}, a
 * {@code .domain} suffix, an {@code 1.2.3.} prefix, {@code net/mask} and {@code net/len},
 * {@code [ipv6]} and {@code [ipv6]/len}, {@code *} and {@code ?} wildcards, a {@code /file} of
 * patterns, {@code daemon@host}, and {@code EXCEPT}. Host names are looked up only when a pattern
 * needs one ({@link NameLookups}). Not supported: {@code @netgroup} (no NIS; never matches) and
 * {@code user@host} client patterns (the user is taken as unknown; no ident lookup).
 */
public final class HostsAccess {
    private static final String SEPARATORS = "[, \t\r\n]+";

    private final Path allow;
    private final Path deny;

    public HostsAccess(Path allow, Path deny) {
        this.allow = allow;
        this.deny = deny;
    }

    /**
     * /etc/hosts.allow and /etc/hosts.deny; the system properties {@code jstunnel.hostsAllow} and
     * {@code jstunnel.hostsDeny} name other files (tests, jails).
     */
    public static HostsAccess system() {
        return new HostsAccess(Path.of(System.getProperty("jstunnel.hostsAllow", "/etc/hosts.allow")),
            Path.of(System.getProperty("jstunnel.hostsDeny", "/etc/hosts.deny")));
    }

    /** hosts_access(3): may {@code client} use {@code daemon} (reached at {@code server})? */
    public boolean permits(String daemon, InetAddress client, InetAddress server) {
        Request r = new Request(daemon, new Client(client), server == null ? null : new Client(server));
        Boolean a = tableMatch(allow, r, true);
        if (a != null) return a;
        Boolean d = tableMatch(deny, r, false);
        if (d != null) return d;
        return true;
    }

    private record Request(String daemon, Client client, Client server) {}

    /** table_match: the first matching rule's verdict; null when none matches (or no file). */
    private static Boolean tableMatch(Path file, Request r, boolean verdict) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null; // libwrap: a missing file matches nothing
        }
        StringBuilder logical = new StringBuilder();
        for (String raw : lines) {
            if (raw.endsWith("\\")) { // continuation
                logical.append(raw, 0, raw.length() - 1).append(' ');
                continue;
            }
            String line = logical.append(raw).toString().strip();
            logical.setLength(0);
            if (line.isEmpty() || line.startsWith("#")) continue;
            int c1 = splitAt(line, 0);
            if (c1 < 0) continue; // "missing ':' separator": libwrap skips the line
            int c2 = splitAt(line, c1 + 1);
            String daemons = line.substring(0, c1);
            String clients = c2 < 0 ? line.substring(c1 + 1) : line.substring(c1 + 1, c2);
            String options = c2 < 0 ? null : line.substring(c2 + 1);
            if (listMatch(tokens(daemons), 0, t -> daemonMatch(t, r))
                    && listMatch(tokens(clients), 0, t -> clientMatch(t, r))) {
                return options == null ? verdict : optionsVerdict(options, verdict);
            }
        }
        return null;
    }

    /** The next ':' from {@code from} that is not inside [brackets] (IPv6 addresses); -1 if none. */
    private static int splitAt(String s, int from) {
        boolean bracket = false;
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '[') bracket = true;
            else if (ch == ']') bracket = false;
            else if (ch == ':' && !bracket) return i;
        }
        return -1;
    }

    /** hosts_options(5): a final {@code allow} or {@code deny} decides; other options are not acted on. */
    private static boolean optionsVerdict(String options, boolean verdict) {
        boolean v = verdict;
        for (String o : options.split(":")) {
            String k = o.strip().toLowerCase(Locale.ROOT);
            if (k.equals("allow")) v = true;
            else if (k.equals("deny")) v = false;
        }
        return v;
    }

    private static List<String> tokens(String list) {
        List<String> out = new ArrayList<>();
        for (String t : list.strip().split(SEPARATORS)) if (!t.isEmpty()) out.add(t);
        return out;
    }

    /** list_match: a match before EXCEPT, not cancelled by a match of what follows EXCEPT. */
    private static boolean listMatch(List<String> toks, int from, Predicate<String> match) {
        for (int i = from; i < toks.size(); i++) {
            String t = toks.get(i);
            if (t.equalsIgnoreCase("EXCEPT")) return false;
            if (t.startsWith("/") ? fileMatch(t, match) : match.test(t)) {
                int j = i + 1;
                while (j < toks.size() && !toks.get(j).equalsIgnoreCase("EXCEPT")) j++;
                return j >= toks.size() || !listMatch(toks, j + 1, match);
            }
        }
        return false;
    }

    /** A {@code /file} pattern: any of the file's patterns matches. */
    private static boolean fileMatch(String path, Predicate<String> match) {
        try {
            for (String line : Files.readAllLines(Path.of(path), StandardCharsets.ISO_8859_1)) {
                if (line.strip().startsWith("#")) continue;
                for (String t : tokens(line)) if (match.test(t)) return true;
            }
        } catch (IOException e) {
            // libwrap: an unreadable pattern file matches nothing
        }
        return false;
    }

    private static boolean daemonMatch(String tok, Request r) {
        int at = tok.indexOf('@', 1);
        if (at > 0) {
            return stringMatch(tok.substring(0, at), r.daemon())
                && r.server() != null && hostMatch(tok.substring(at + 1), r.server());
        }
        return stringMatch(tok, r.daemon());
    }

    private static boolean clientMatch(String tok, Request r) {
        int at = tok.indexOf('@', 1);
        if (at > 0) return stringMatch(tok.substring(0, at), Client.UNKNOWN) && hostMatch(tok.substring(at + 1), r.client());
        return hostMatch(tok, r.client());
    }

    private static boolean hostMatch(String tok, Client host) {
        if (tok.startsWith("@")) return false; // NIS netgroup
        if (tok.equalsIgnoreCase("KNOWN")) return Client.known(host.name());
        if (tok.equalsIgnoreCase("LOCAL")) return host.name().indexOf('.') < 0 && Client.known(host.name());
        int slash = tok.indexOf('/');
        if (slash > 0) return maskedMatch(tok.substring(0, slash), tok.substring(slash + 1), host);
        if (tok.startsWith("[") && tok.endsWith("]")) return sameAddress(tok.substring(1, tok.length() - 1), host);
        return stringMatch(tok, host.addressText()) || notAddress(tok) && stringMatch(tok, host.name());
    }

    /** NOT_INADDR: a token that is not made of digits, dots and slashes may be a host name. */
    private static boolean notAddress(String tok) {
        for (int i = 0; i < tok.length(); i++) if ("0123456789./".indexOf(tok.charAt(i)) < 0) return true;
        return false;
    }

    private static boolean stringMatch(String tok, String s) {
        if (tok.startsWith(".")) {
            int n = s.length() - tok.length();
            return n > 0 && s.substring(n).equalsIgnoreCase(tok);
        }
        if (tok.equalsIgnoreCase("ALL")) return true;
        if (tok.equalsIgnoreCase("KNOWN")) return Client.known(s);
        if (tok.indexOf('*') >= 0 || tok.indexOf('?') >= 0) return wildcard(tok.toLowerCase(Locale.ROOT), 0, s.toLowerCase(Locale.ROOT), 0);
        if (tok.endsWith(".")) return s.regionMatches(true, 0, tok, 0, tok.length());
        return tok.equalsIgnoreCase(s);
    }

    private static boolean wildcard(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) if (wildcard(p, pi + 1, s, k)) return true;
                return false;
            }
            if (si >= s.length() || c != '?' && c != s.charAt(si)) return false;
            pi++;
            si++;
        }
        return si == s.length();
    }

    private static boolean sameAddress(String literal, Client host) {
        byte[] a = literalBytes(literal);
        return a != null && java.util.Arrays.equals(a, host.address().getAddress());
    }

    /** net/mask (dotted) or net/len, IPv4 or [IPv6]/len. */
    private static boolean maskedMatch(String net, String mask, Client host) {
        if (net.startsWith("[") && net.endsWith("]")) net = net.substring(1, net.length() - 1);
        byte[] n = literalBytes(net);
        byte[] a = host.address().getAddress();
        if (n == null || n.length != a.length) return false;
        byte[] m;
        if (mask.matches("\\d{1,3}")) {
            int len = Integer.parseInt(mask);
            if (len > 8 * a.length) return false;
            m = new byte[a.length];
            for (int i = 0; i < len; i++) m[i / 8] |= (byte) (0x80 >>> (i % 8));
        } else {
            m = literalBytes(mask);
            if (m == null || m.length != a.length) return false;
        }
        for (int i = 0; i < a.length; i++) if ((a[i] & m[i]) != (n[i] & m[i])) return false;
        return true;
    }

    /** The bytes of a numeric address, never looking a name up; null if it is not one. */
    private static byte[] literalBytes(String s) {
        if (s.isEmpty() || !(s.indexOf(':') >= 0 || s.matches("[0-9.]+"))) return null;
        try {
            return InetAddress.getByName(s).getAddress(); // a literal: no lookup
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
