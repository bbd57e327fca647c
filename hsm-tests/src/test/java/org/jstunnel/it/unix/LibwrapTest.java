package org.jstunnel.it.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.LogLine;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.unix.support.HostsFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code libwrap = yes}: hosts.allow and hosts.deny decide per service name and client, as libwrap
 * does. One set of rules, one service per kind of pattern, clients from 127.0.0.1 (reverse name
 * localhost) and 127.0.0.2 (no name); every decision and its log line must be the same for jstunnel
 * and stunnel4 (Debian's stunnel4 is built with libwrap), both reading the rules from /etc in a
 * mount namespace of their own.
 */
class LibwrapTest extends EcPkiTestSupport {
    private static final String ALLOW = """
            # jstunnel LibwrapTest
            s_addr: 127.0.0.1
            s_net: 127.0.0.0/255.0.0.0 EXCEPT 127.0.0.2
            s_prefix, s_list : 10.9.9.9, 127.0.0.
            s_name: localhost
            s_suffix: .localdomain ,\\
              .lo
            s_local: LOCAL
            s_wild: 127.0.0.?
            s_unknown: UNKNOWN
            s_optdeny: ALL : DENY
            """;
    private static final String DENY = """
            s_known: KNOWN
            ALL EXCEPT s_open s_known s_optallow: ALL
            s_optallow: 127.0.0.2 : allow
            """;

    /** service -> {verdict for 127.0.0.1, verdict for 127.0.0.2}; true = permitted. */
    private static final Map<String, boolean[]> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("s_addr", new boolean[] {true, false});
        EXPECTED.put("s_net", new boolean[] {true, false});
        EXPECTED.put("s_prefix", new boolean[] {true, true});
        EXPECTED.put("s_list", new boolean[] {true, true});
        EXPECTED.put("s_name", new boolean[] {true, false});
        EXPECTED.put("s_suffix", new boolean[] {false, false});
        EXPECTED.put("s_local", new boolean[] {true, false});
        EXPECTED.put("s_wild", new boolean[] {true, true});
        EXPECTED.put("s_unknown", new boolean[] {false, true});
        EXPECTED.put("s_optdeny", new boolean[] {false, false});
        EXPECTED.put("s_known", new boolean[] {false, true});
        EXPECTED.put("s_open", new boolean[] {true, true});
        EXPECTED.put("s_optallow", new boolean[] {true, true});
    }

    @ParameterizedTest
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void hostsAllowAndDenyDecideAsLibwrap(String which) throws Exception {
        Path binary = which.equals("stunnel4") ? Binaries.stunnel4() : Binaries.underTest();
        StunnelConfig config = new StunnelConfig().global("debug", "debug");
        for (String name : EXPECTED.keySet()) {
            // the decision comes before the connect: a closed port is enough
            config.service(name, s -> s.client().accept("127.0.0.1:0").set("connect", "127.0.0.1:1").set("libwrap", "yes"));
        }
        TunnelProcess tunnel = res.add(TunnelProcess.launch(HostsFiles.launcher(dir, binary, ALLOW, DENY), dir, which,
                config).awaitReady());

        Map<String, String> got = new LinkedHashMap<>(), want = new LinkedHashMap<>();
        for (var e : EXPECTED.entrySet()) {
            for (int i = 0; i < 2; i++) {
                String from = i == 0 ? "127.0.0.1" : "127.0.0.2";
                want.put(e.getKey() + " from " + from, e.getValue()[i] ? "permitted" : "REFUSED");
                got.put(e.getKey() + " from " + from, verdict(tunnel, e.getKey(), from));
            }
        }
        assertEquals(want.toString().replace(", ", "\n"), got.toString().replace(", ", "\n"));
    }

    /** Connects from {@code from} and reads the tunnel's verdict from its log. */
    private static String verdict(TunnelProcess tunnel, String service, String from) throws IOException {
        int port;
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", tunnel.port(service)));
            port = s.getLocalPort();
            String peer = Pattern.quote(from + ":" + port);
            Pattern refused = Pattern.compile("Service \\[" + service + "\\] REFUSED by libwrap from " + peer + "$");
            Pattern accepted = Pattern.compile("Service \\[" + service + "\\] accepted connection from " + peer + "$");
            Deadline d = Deadline.after(Timeouts.LOG_LINE);
            while (true) {
                Optional<LogLine> r = tunnel.findLog(refused);
                if (r.isPresent()) {
                    // stunnel's level for the refusal: LOG_WARNING
                    assertEquals(4, r.get().level(), "a warning: " + r.get());
                    return "REFUSED";
                }
                if (tunnel.findLog(accepted).isPresent()) return "permitted";
                if (d.expired()) throw new AssertionError("no libwrap verdict for " + service + " from " + from
                        + "\n" + tunnel.diagnostics());
                d.pause();
            }
        }
    }
}
