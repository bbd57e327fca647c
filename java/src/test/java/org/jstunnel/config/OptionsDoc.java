package org.jstunnel.config;

import java.util.List;

/** Renders docs/options.md from the option table (the committed file must equal this). */
final class OptionsDoc {
    private OptionsDoc() {}

    static String render() {
        StringBuilder b = new StringBuilder();
        b.append("# Configuration options\n\n");
        b.append("Every option of stunnel 5.63's manual (stunnel(8)), plus stunnel 5.75's `provider` and\n");
        b.append("`providerParameter`, as jstunnel's option table (`org.jstunnel.config.OptionTable`) knows them,\n");
        b.append("and jstunnel's own extensions (their note says \"jstunnel extension\"; stunnel refuses them).\n");
        b.append("This file is generated from that table; `OptionsDocTest` fails when they differ.\n\n");
        b.append("- **Section**: `global` = only before the first `[section]`; `global, service` = in a `[section]`,\n");
        b.append("  or in the global section as the default every service starts with (stunnel copies the global\n");
        b.append("  section's service options into each new section). Inetd mode (no `[section]`) uses the global\n");
        b.append("  section's service options as its one service.\n");
        b.append("- **Status**: *implemented* (every option of both manuals runs); *platform-unsupported* = WIN32/GUI\n");
        b.append("  only, rejected as stunnel on Linux rejects it. An option the table marked unimplemented would be\n");
        b.append("  refused at start-up, naming it (`Strictness.RUN`); none is left.\n");
        b.append("- **Repeat**: *list* = every occurrence counts (a section's values follow the inherited ones);\n");
        b.append("  otherwise a later occurrence replaces an earlier one (stunnel never rejects a repeat).\n");
        b.append("- Option names are case-insensitive. Defaults are stunnel 5.63's (options.c) unless noted.\n");
        b.append("- jstunnel writes no pid file unless `pid` is set (stunnel 5.63's compiled default is none too).\n\n");
        b.append("## Where jstunnel differs from stunnel 5.63\n\n");
        b.append("- Two `[sections]` with the same name are an error (stunnel accepts them; a reload could not tell\n");
        b.append("  them apart).\n");
        b.append("- `[::1]:443` is accepted as well as stunnel's `::1:443`.\n");
        b.append("- Negative `TIMEOUT*`, `RNDbytes`, `stack` and session cache values are rejected.\n");
        b.append("- `ciphersuites` defaults to the manual's order; stunnel 5.63's code puts TLS_AES_256_GCM_SHA384 first.\n");
        b.append("- Port syntax (`Unknown TCP service \"x\"`) is checked on the line itself; stunnel finds it when it\n");
        b.append("  resolves the address. Host names are resolved by the network layer, except `local` (as stunnel).\n");
        b.append("- An include loop is an error instead of endless recursion.\n");
        b.append("- `OCSPflag = RESPIDKEY` (the manual's spelling) is accepted besides stunnel's `RESPID_KEY`.\n");
        b.append("- WIN32/GUI-only options get `Specified option name is not valid here (\"taskbar\" is WIN32 only)`.\n");
        b.append("- `Strictness.SYNTAX` (checking examples) skips stunnel's \"TLS server needs a certificate\" check.\n");
        b.append("- A PKCS#12 `cert` (.p12/.pfx) also sends the CA certificates the file holds as the chain (5.63\n");
        b.append("  sends the certificate alone; later stunnel versions send the chain too).\n");
        b.append("- Verification log lines use stunnel 5.63/5.68's wording (`Certificate verification disabled`,\n");
        b.append("  `CERT: Pre-verification error: ...` without 5.75's \"certificate not found\" prefix).\n");
        b.append("- `protocol` (issue 12) follows stunnel 5.75's protocol.c. Safer than stunnel: `socks` also refuses\n");
        b.append("  0.0.0.0/8, `::` and IPv4-mapped/-compatible loopback targets (stunnel refuses only 127.0.0.0/8 and\n");
        b.append("  `::1`, so `0.0.0.0` and `::ffff:127.0.0.1` reach its host's services); plaintext a peer sent after a\n");
        b.append("  STARTTLS/STLS exchange, before the TLS handshake, is discarded with a warning (`Discarded N byte(s) of\n");
        b.append("  plaintext received before the TLS handshake`), never fed to the handshake or delivered inside TLS.\n");
        b.append("- `protocol = connect` in client mode without `protocolHost` is refused at start-up (5.75; 5.68 fails\n");
        b.append("  each connection); NTLM without `protocolDomain` sends an empty domain (5.68 crashes); SMTP\n");
        b.append("  authentication starts with EHLO (5.75; 5.68 sends HELO). `socks` in client mode needs\n");
        b.append("  `protocolHost` (the transparent original destination, SO_ORIGINAL_DST, is not available; 5.68\n");
        b.append("  ignores `protocolHost` and always uses it). `connect` server mode's replies name\n");
        b.append("  `Server: jstunnel/VERSION`. Protocol secrets (AUTH PLAIN/LOGIN, Proxy-Authorization) are\n");
        b.append("  logged masked at debug level, where stunnel logs the base64 credentials.\n\n");
        b.append("Where the manual and stunnel 5.63's code disagree, jstunnel follows the code (except for the\n");
        b.append("`ciphersuites` order): `sslVersion = SSLv2` is rejected (stunnel built with OpenSSL >= 1.1.0),\n");
        b.append("a second `sni` in a section replaces the first, `protocolAuthentication` defaults to `basic`.\n\n");
        b.append("## Options\n\n");
        b.append("| Option | Value | Section | Default | Repeat | Status | Description | Note |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (OptionSpec s : OptionTable.all()) {
            String name = "`" + s.name() + "`" + (s.aliases().isEmpty() ? "" : " (alias " + codes(s.aliases()) + ")");
            String section = s.scope() == Scope.GLOBAL ? "global"
                    : s.inherited() ? "global, service" : "global, service (not inherited)";
            String dflt = s.defaults().isEmpty() ? "none" : codes(s.defaults());
            String status = switch (s.status()) {
                case IMPLEMENTED -> "implemented";
                case NOT_IMPLEMENTED -> "not yet";
                case UNSUPPORTED_PLATFORM -> "platform-unsupported";
            };

            b.append("| ").append(name).append(" | ").append(cell(s.syntax())).append(" | ").append(section)
                    .append(" | ").append(dflt).append(" | ").append(s.repeatable() ? "list" : "")
                    .append(" | ").append(status).append(" | ").append(cell(s.summary()))
                    .append(" | ").append(cell(s.note())).append(" |\n");
        }
        return b.toString();
    }

    private static String codes(List<String> values) {
        return String.join(", ", values.stream().map(v -> "`" + v + "`").toList());
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
