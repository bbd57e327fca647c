package org.jstunnel.config;

import java.util.List;

/**
 * What stunnel checks when a section ends (options.c CMD_INITIALIZE), in stunnel's order so the same
 * fault is reported first. Name resolution and file loading are left to the layers that use them.
 */
final class SectionChecks {
    static final String BOTH_TICKET_KEYS = "\"ticketKeySecret\" and \"ticketMacSecret\" must be set together";
    static final String VERIFY_NEEDED = "Either \"verifyChain\" or \"verifyPeer\" has to be enabled";

    private SectionChecks() {}

    /** End of the global section (first [section] or end of file). */
    static void global(GlobalOptions g) throws ConfigException {
        boolean daemon = g.string("foreground").equals("no"); // daemonize() changes the working directory
        String output = g.string("output");
        if (daemon && output != null && !output.startsWith("/")) {
            throw ConfigException.section("Global options", "Log file must include full path name");
        }
        String pid = g.string("pid");
        if (daemon && pid != null && !pid.startsWith("/")) {
            throw ConfigException.section("Global options", "Pid file must include full path name");
        }
    }

    /**
     * End of a [section], or of the file in inetd mode.
     *
     * @param earlier the services already complete (for the SNI master lookup)
     */
    static void service(ServiceOptions s, List<ServiceOptions> earlier, Strictness strictness, ConfigLog log)
            throws ConfigException {
        String prefix = s.isInetd() ? "Inetd mode" : "Service [" + s.string("service") + "]";
        boolean client = s.bool("client");
        boolean verify = s.bool("verifyChain") || s.bool("verifyPeer");
        int endpoints = 0;

        if (!s.strings("accept").isEmpty()) endpoints++;
        if (strictness == Strictness.RUN && !client && s.string("cert") == null && !s.isSet("PSKsecrets")
                && !s.isSet("engineId") && !s.isSet("engineNum")) {
            throw ConfigException.section(prefix, "TLS server needs a certificate");
        }
        for (String check : List.of("checkEmail", "checkHost", "checkIP")) {
            if (!s.strings(check).isEmpty() && !verify) throw ConfigException.section(prefix, VERIFY_NEEDED);
        }
        if (!s.strings("connect").isEmpty()) endpoints++;
        if (s.string("exec") != null) endpoints++;

        ProtocolCheck protocol = ProtocolCheck.of(s.string("protocol"), client);
        if (protocol.error() != null) throw ConfigException.section(prefix, protocol.error());
        if (protocol.endpoint()) endpoints++;
        if (client && "connect".equals(s.string("protocol")) && s.string("protocolHost") == null) {
            throw ConfigException.section(prefix, "protocolHost not specified"); // stunnel 5.75 connect_client_init
        }

        if (client && s.isSet("PSKsecrets") && s.isSet("PSKidentity")) pskIdentity(s, prefix);

        if (!s.strings("redirect").isEmpty()) {
            if (client) throw ConfigException.section(prefix, "\"redirect\" is unsupported in client sections");
            if (protocol.connectBeforeTls()) {
                throw ConfigException.section(prefix,
                        "\"redirect\" is incompatible with the specified protocol negotiation");
            }
            if (!verify) throw ConfigException.section(prefix, VERIFY_NEEDED + " for \"redirect\" to work");
        }

        String sni = s.string("sni");
        if (!client && sni != null) {
            int colon = sni.indexOf(':');
            if (colon < 0) throw ConfigException.section(prefix, "Invalid SNI parameter format");
            ServiceOptions master = find(sni.substring(0, colon), earlier, s);
            if (master == null) throw ConfigException.section(prefix, "SNI section name not found");
            if (master.bool("client")) throw ConfigException.section(prefix, "SNI master service is a TLS client");
            endpoints++;
        }

        int min = ValueChecks.tlsVersionRank(s.string("sslVersionMin"));
        int max = ValueChecks.tlsVersionRank(s.string("sslVersionMax"));
        if (min > 0 && max > 0 && max < min) throw ConfigException.section(prefix, "Invalid protocol version range");

        boolean key = s.isSet("ticketKeySecret"), mac = s.isSet("ticketMacSecret");
        if (key && client) log.log(LogLevels.NOTICE, "ticketKeySecret is ignored in the client mode");
        else if (key && !mac) throw ConfigException.section(prefix, BOTH_TICKET_KEYS);
        if (mac && client) log.log(LogLevels.NOTICE, "ticketMacSecret is ignored in the client mode");
        else if (mac && !key) throw ConfigException.section(prefix, BOTH_TICKET_KEYS);

        String transparent = s.string("transparent");
        if (transparent.equals("destination") || transparent.equals("both")) endpoints++;

        if (verify && s.string("CAfile") == null && s.string("CApath") == null && s.strings("CAengine").isEmpty()
                && s.string("CAstore") == null) {
            throw ConfigException.section(prefix,
                "Either \"CAengine\", \"CAfile\", \"CApath\" or \"CAstore\" has to be configured");
        }

        if (!s.isInetd()) {
            if (endpoints != 2) throw ConfigException.section(prefix, "Each service must define two endpoints");
        } else {
            if (!s.strings("accept").isEmpty()) {
                throw ConfigException.section(prefix, "'accept' option is only allowed in a [section]");
            }
            if (endpoints != 1) throw ConfigException.section(prefix, "Inetd mode must define one endpoint");
        }
    }

    /** options.c PSKidentity CMD_INITIALIZE: a client's identity must have a key in PSKsecrets. */
    private static void pskIdentity(ServiceOptions s, String prefix) throws ConfigException {
        String identity = s.string("PSKidentity");
        try {
            for (PskSecretsFile.Entry e : PskSecretsFile.read(s.string("PSKsecrets")).entries()) {
                if (e.identity().equals(identity)) return;
            }
        } catch (BadValueException e) {
            throw ConfigException.section(prefix, e.reason());
        }
        throw ConfigException.section(prefix, "No key found for the specified PSK identity");
    }

    /** stunnel compares the SNI master's service name (strcmp) with every section so far, itself included. */
    private static ServiceOptions find(String name, List<ServiceOptions> earlier, ServiceOptions self) {
        for (ServiceOptions e : earlier) {
            if (e.string("service").equals(name)) return e;
        }
        return self.string("service").equals(name) ? self : null;
    }
}
