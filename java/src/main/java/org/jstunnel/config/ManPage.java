package org.jstunnel.config;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * jstunnel(8), generated from the option table for the Debian package ({@code scripts/build-deb.sh}
 * runs {@code java -cp jstunnel.jar org.jstunnel.config.ManPage VERSION DATE > jstunnel.8}), so the
 * manual lists exactly the options the program knows, with their defaults and jstunnel's status.
 */
public final class ManPage {
    private ManPage() {}

    public static void main(String[] args) {
        String version = args.length > 0 ? args[0] : org.jstunnel.cli.Version.VERSION;
        String date = args.length > 1 ? args[1] : "2026-01-01";
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.print(render(version, date));
        out.flush();
    }

    static String render(String version, String date) {
        StringBuilder b = new StringBuilder();
        b.append(".TH JSTUNNEL 8 \"").append(date).append("\" \"jstunnel ").append(esc(version))
            .append("\" \"System Manager's Manual\"\n");
        b.append(".SH NAME\njstunnel \\- TLS tunnel for network daemons, a drop\\-in replacement of stunnel\n");
        b.append(".SH SYNOPSIS\n.B jstunnel\n.RI [ FILE ]\n.br\n.B jstunnel\n.B \\-fd\n.I N\n.br\n")
            .append(".B jstunnel\n.BR \\-help \" | \" \\-version \" | \" \\-sockets \" | \" \\-options\n");
        b.append(".SH DESCRIPTION\n");
        b.append("jstunnel adds TLS to programs that do not speak it, as a client or as a server. It reads ")
            .append("stunnel's configuration file (default\n.IR /etc/stunnel/stunnel.conf ),\n")
            .append("runs its services with stunnel's semantics, log lines and exit codes, and keeps keys in ")
            .append("hardware (PKCS#11 tokens, HSMs, TPMs) usable in FIPS mode.\n");
        b.append(".PP\nWithout\n.I FILE\nand without\n.BR \\-fd ,\njstunnel reads the default configuration file. ")
            .append("A configuration without\n.RI [ section ]\nruns one service on standard input and output (inetd mode).\n");
        b.append(".SH OPTIONS\n");
        option(b, "\\fIFILE\\fR", "read the configuration from FILE");
        option(b, "\\fB\\-fd\\fR \\fIN\\fR", "read the configuration from file descriptor N");
        option(b, "\\fB\\-help\\fR", "print the configuration options and their descriptions");
        option(b, "\\fB\\-version\\fR", "print the version and the compiled-in defaults");
        option(b, "\\fB\\-sockets\\fR", "print the default socket options");
        option(b, "\\fB\\-options\\fR", "print the supported TLS options");
        section(b, "GLOBAL OPTIONS", Scope.GLOBAL);
        section(b, "SERVICE-LEVEL OPTIONS", Scope.SERVICE);
        b.append(".SH SIGNALS\n");
        option(b, "\\fBSIGHUP\\fR", "reload the configuration file: unchanged services keep their listeners and "
            + "connections, changed ones are replaced, a failed reload leaves the running services as they were");
        option(b, "\\fBSIGUSR1\\fR", "close and reopen the log file (log rotation)");
        option(b, "\\fBSIGUSR2\\fR", "log the active connections");
        option(b, "\\fBSIGTERM\\fR, \\fBSIGINT\\fR, \\fBSIGQUIT\\fR", "stop");
        b.append(".SH SYSTEMD\n");
        b.append("Under systemd (\\fIjstunnel@NAME.service\\fR runs \\fI/etc/jstunnel/NAME.conf\\fR) jstunnel ")
            .append("does not fork, reports readiness, reloads and shutdown through \\fBNOTIFY_SOCKET\\fR, sends ")
            .append("watchdog keep-alives when \\fBWATCHDOG_USEC\\fR asks, and takes listening sockets passed by ")
            .append("socket activation (\\fBLISTEN_FDS\\fR) for services whose \\fBaccept\\fR address they are ")
            .append("bound to.\n");
        b.append(".SH FILES\n");
        option(b, "\\fI/etc/jstunnel/*.conf\\fR", "configurations of the jstunnel@.service instances");
        option(b, "\\fI/var/log/jstunnel/\\fR", "log files (rotated by /etc/logrotate.d/jstunnel)");
        option(b, "\\fI/usr/share/doc/jstunnel/examples/jstunnel.conf\\fR", "a sample configuration");
        b.append(".SH EXIT STATUS\n0 after a clean stop; 1 when the configuration or the start fails.\n");
        b.append(".SH SEE ALSO\n.BR stunnel4 (8),\n.BR openssl (1),\n.BR systemd.service (5)\n");
        return b.toString();
    }

    private static void section(StringBuilder b, String title, Scope scope) {
        b.append(".SH ").append(title).append('\n');
        for (OptionSpec o : OptionTable.all()) {
            if (o.scope() != scope) continue;
            StringBuilder text = new StringBuilder(o.summary());
            List<String> d = o.defaults();
            if (!d.isEmpty()) text.append(". Default: ").append(String.join(", ", d));
            text.append(". ").append(switch (o.status()) {
                case IMPLEMENTED -> "Implemented";
                case NOT_IMPLEMENTED -> "Not implemented yet: jstunnel refuses to run with it";
                case UNSUPPORTED_PLATFORM -> "Windows only: refused, as stunnel on Linux refuses it";
            });
            if (!o.note().isEmpty()) text.append(" (").append(o.note().replace("`", "")).append(')');
            String head = "\\fB" + esc(o.name()) + "\\fR = \\fI" + esc(o.syntax()) + "\\fR";
            if (!o.aliases().isEmpty()) head += " (also \\fB" + esc(String.join(", ", o.aliases())) + "\\fR)";
            b.append(".TP\n").append(head).append('\n').append(line(esc(text.toString()))).append('\n');
        }
    }

    private static void option(StringBuilder b, String head, String text) {
        b.append(".TP\n").append(head).append('\n').append(line(esc(text))).append('\n');
    }

    /** A text line must not start with a control character. */
    private static String line(String s) {
        return s.startsWith(".") || s.startsWith("'") ? "\\&" + s : s;
    }

    /** troff: backslashes doubled, hyphens as minus signs (option values like -NO_TICKET). */
    static String esc(String s) {
        return s.replace("\\", "\\e").replace("-", "\\-");
    }
}
