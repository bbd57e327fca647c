package org.jstunnel.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jstunnel.config.OptionSpec;
import org.jstunnel.config.OptionTable;
import org.jstunnel.config.Scope;
import org.jstunnel.config.Status;
import org.jstunnel.ssl.FipsMode;
import org.jstunnel.ssl.NativeLibrary;
import org.jstunnel.ssl.NativeSsl;
import org.jstunnel.ssl.SslOptionNames;

/**
 * {@code -help}, {@code -version}, {@code -sockets}, {@code -options}: print on stderr exactly what
 * stunnel prints (its messages raw, one per line, no level or time stamp), with jstunnel's name,
 * version, features and defaults, and exit with 0.
 *
 * <p>Like stunnel, each starts with "Initializing inetd mode configuration" and the build banner
 * ({@link #bannerLines()}), which stunnel has already logged when it reads its command line.
 */
public final class InfoCommands {
    private InfoCommands() {}

    /** stunnel's OPENSSL_VERSION argument of OpenSSL_version(). */
    private static final int OPENSSL_VERSION = 0;

    /** The first message stunnel logs (level INFO): its default section being set up. */
    public static final String INITIALIZING = "Initializing inetd mode configuration";

    /**
     * The TLS features jstunnel always has, as the "TLS:" part of the features line names them
     * (stunnel's order); FIPS is added after ENGINE when the FIPS provider is available.
     */
    public static final List<String> TLS_FEATURES = List.of("ENGINE", "OCSP", "PSK", "SNI");

    /**
     * Prints what {@code c} asks for on {@code err} and returns the exit status (0).
     *
     * @throws IllegalArgumentException for {@link Command.Run} and {@link Command.RunFd}
     */
    public static int run(Command c, PrintStream err) {
        List<String> out = new ArrayList<>();
        out.add(INITIALIZING);
        out.addAll(bannerLines());
        switch (c) {
            case Command.Help h -> out.addAll(helpLines());
            case Command.Version v -> out.addAll(versionLines());
            case Command.Sockets s -> out.addAll(SocketDefaults.lines(SocketDefaults.rows()));
            case Command.Options o -> out.addAll(optionsLines());
            case Command.Run r -> throw new IllegalArgumentException("not an information command: " + c);
            case Command.RunFd r -> throw new IllegalArgumentException("not an information command: " + c);
        }
        print(out, err);
        return 0;
    }

    static void print(List<String> lines, PrintStream err) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) b.append(l).append('\n');
        err.print(b);
        err.flush();
    }

    // ---- the banner (stunnel_info): also logged at NOTICE on every start

    /**
     * The build banner stunnel logs at level NOTICE on every start and prints before every
     * information command: name, version and platform; the OpenSSL version; the features.
     */
    public static List<String> bannerLines() {
        return bannerLines(Version.host(), null, runningOpenSsl(), features(ipv6Available(), fipsAvailable()));
    }

    /**
     * The banner from its parts. {@code compiledOpenSsl} is OpenSSL's OPENSSL_VERSION_TEXT at build
     * time; null when unknown, then the running version is taken as both.
     */
    public static List<String> bannerLines(String host, String compiledOpenSsl, String runningOpenSsl, String features) {
        List<String> out = new ArrayList<>();
        out.add(Version.PROGRAM + " " + Version.VERSION + " on " + host + " platform");
        out.addAll(openSslLines(compiledOpenSsl, runningOpenSsl));
        out.add(features);
        return out;
    }

    /**
     * "Compiled/running with OpenSSL …" when the build-time and run-time versions are the same (or
     * the build-time one is unknown); else "Compiled with …", "Running  with …" (two spaces, as
     * stunnel) and, when their major.minor differ, stunnel's advice to update or rebuild.
     */
    public static List<String> openSslLines(String compiled, String running) {
        if (compiled == null || compiled.equals(running)) return List.of("Compiled/running with " + running);
        List<String> out = new ArrayList<>();
        out.add("Compiled with " + compiled);
        out.add("Running  with " + running);
        String a = majorMinor(compiled), b = majorMinor(running);
        if (a == null || !a.equals(b)) out.add("Update OpenSSL shared libraries or rebuild " + Version.PROGRAM);
        return out;
    }

    private static final Pattern MAJOR_MINOR = Pattern.compile("OpenSSL (\\d+)\\.(\\d+)");

    private static String majorMinor(String text) {
        Matcher m = MAJOR_MINOR.matcher(text);
        return m.find() ? m.group(1) + "." + m.group(2) : null;
    }

    /** OpenSSL_version(OPENSSL_VERSION) of the loaded libssl, e.g. "OpenSSL 3.0.19 27 Jan 2026". */
    public static String runningOpenSsl() {
        try {
            NativeLibrary.load();
            return NativeSsl.OpenSSL_version(OPENSSL_VERSION);
        } catch (LinkageError | RuntimeException e) {
            return "OpenSSL (unknown: libjstunnel not loaded: " + e.getMessage() + ")";
        }
    }

    /**
     * The features line in stunnel's shape: "Threading:… Sockets:…,IPv6|IPv4 TLS:…" — jstunnel's:
     * virtual threads, NIO sockets, and the TLS features of {@link #TLS_FEATURES} ("NONE" if none).
     */
    public static String features(boolean ipv6) {
        return features(ipv6, false);
    }

    /** As {@link #features(boolean)}, with FIPS after ENGINE when the FIPS provider is available (as stunnel). */
    public static String features(boolean ipv6, boolean fips) {
        List<String> tls = new ArrayList<>(TLS_FEATURES);
        if (fips) tls.add(tls.indexOf("ENGINE") + 1, "FIPS");
        return "Threading:VIRTUAL Sockets:NIO," + (ipv6 ? "IPv6" : "IPv4") + " TLS:" + (tls.isEmpty() ? "NONE" : String.join(",", tls));
    }

    /** stunnel's fips_available(): the FIPS provider loads here (OPENSSL_CONF, OPENSSL_MODULES). */
    public static boolean fipsAvailable() {
        try {
            return FipsMode.available();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** stunnel's fips_default(): OpenSSL's configuration already makes FIPS the default. */
    static boolean fipsDefault() {
        try {
            return FipsMode.systemDefault();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** stunnel's use_ipv6(): can an IPv6 socket be created. */
    public static boolean ipv6Available() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET6)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    // ---- -help, -version, -options

    /** Lines stunnel prints below an option's -help line, indented by 25 spaces. */
    private static final Map<String, List<String>> HELP_CONTINUATION = Map.of(
        "protocol", List.of("currently supported: cifs, connect, imap,", "    nntp, pgsql, pop3, proxy, smtp, socks"),
        "socket", List.of("set an option on accept/local/remote socket"));

    /**
     * The options -help lists: every option of the table but the Windows-only ones, and fips only
     * when the FIPS provider is available (as stunnel).
     */
    private static boolean inHelp(OptionSpec o, boolean fips) {
        return o.status() != Status.UNSUPPORTED_PLATFORM && (fips || !o.name().equals("fips"))
            && !OptionTable.isExtension(o); // stunnel's -help, line for line
    }

    /** {@code -help}: every option with its description, global ones first, in stunnel's order. */
    public static List<String> helpLines() {
        return helpLines(fipsAvailable());
    }

    static List<String> helpLines(boolean fips) {
        List<String> out = new ArrayList<>();
        for (Scope scope : new Scope[] {Scope.GLOBAL, Scope.SERVICE}) {
            out.add(" ");
            out.add(scope == Scope.GLOBAL ? "Global options:" : "Service-level options:");
            for (OptionSpec o : OptionTable.all()) {
                if (o.scope() != scope || !inHelp(o, fips)) continue;
                out.add(String.format("%-22s = %s", o.name(), o.description()));
                for (String more : HELP_CONTINUATION.getOrDefault(o.name(), List.of())) out.add(" ".repeat(25) + more);
            }
        }
        return out;
    }

    /** The options stunnel's -version prints a default for (on Linux, without FIPS); the order is the table's. */
    static final List<String> VERSION_OPTIONS = List.of(
        "RNDbytes", "RNDfile", "RNDoverwrite",
        "ciphers", "ciphersuites", "curves", "debug", "logId", "options", "securityLevel", "sessionCacheSize",
        "sessionCacheTimeout", "stack", "TIMEOUTbusy", "TIMEOUTclose", "TIMEOUTconnect", "TIMEOUTidle", "verify");

    /**
     * {@code -version}: "Global options:" and "Service-level options:", each with the defaults of the
     * options stunnel prints there, taken from jstunnel's option table and written as stunnel writes
     * them (units, "(with TLSv1.3)", the facility of debug, "none" for verify). An option without a
     * default is left out (as stunnel leaves RNDfile out when built without one).
     */
    public static List<String> versionLines() {
        return versionLines(fipsAvailable(), fipsDefault());
    }

    /**
     * As {@link #versionLines()}; with the FIPS provider available, "fips = yes|no" (whether OpenSSL's
     * configuration already makes FIPS the default) first, as stunnel prints it.
     */
    static List<String> versionLines(boolean fipsAvailable, boolean fipsDefault) {
        List<String> out = new ArrayList<>();
        for (Scope scope : new Scope[] {Scope.GLOBAL, Scope.SERVICE}) {
            out.add(" ");
            out.add(scope == Scope.GLOBAL ? "Global options:" : "Service-level options:");
            if (scope == Scope.GLOBAL && fipsAvailable) out.add(String.format("%-22s = %s", "fips", fipsDefault ? "yes" : "no"));
            for (OptionSpec o : OptionTable.all()) {
                if (o.scope() != scope || !VERSION_OPTIONS.contains(o.name())) continue;
                for (String v : versionValues(o)) out.add(String.format("%-22s = %s", o.name(), v));
            }
        }
        return out;
    }

    private static List<String> versionValues(OptionSpec o) {
        List<String> d = o.defaults();
        if (o.name().equals("verify")) return List.of(d.isEmpty() ? "none" : d.get(0));
        if (d.isEmpty()) return List.of();
        String v = d.get(0);
        return switch (o.name()) {
            case "ciphersuites" -> List.of(v + " (with TLSv1.3)");
            case "debug" -> List.of(v.indexOf('.') >= 0 ? v : "daemon." + v);
            case "sessionCacheTimeout", "TIMEOUTbusy", "TIMEOUTclose", "TIMEOUTconnect", "TIMEOUTidle" ->
                List.of(v + " seconds");
            case "stack" -> List.of(v + " bytes");
            default -> d;
        };
    }

    /** {@code -options}: "options = NAME" for every name {@code options =} accepts. */
    public static List<String> optionsLines() {
        List<String> out = new ArrayList<>();
        out.add(" ");
        out.add("Supported TLS options:");
        for (Map.Entry<String, Long> e : SslOptionNames.all().entrySet()) out.add("options = " + e.getKey());
        return out;
    }
}
