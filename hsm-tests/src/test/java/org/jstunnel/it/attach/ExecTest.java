package org.jstunnel.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jstunnel.it.attach.support.Scripts;
import org.jstunnel.it.attach.support.TlsPeer;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * {@code exec}: the program's stdin/stdout are the other end of the tunnel, with stunnel's
 * environment variables (REMOTE_HOST, REMOTE_PORT, SSL_CLIENT_DN, SSL_CLIENT_I_DN), its argv from
 * {@code execArgs}, the half-close passed on as EOF on its stdin, and its exit status logged.
 */
class ExecTest extends EcPkiTestSupport {
    private static final String SERVICE = "program";
    private static final Pattern CHILD_STARTED = Pattern.compile("Local mode child started \\(PID=(\\d+)\\)");


    /** The reporter's {@code NAME=value} lines. */
    static Map<String, String> report(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    @Test
    void theProgramIsTheRemoteEndAndLearnsWhoConnected() {
        Path reporter = Scripts.reporter(dir, 7);
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").identity(pki.server())
                        .set("verifyChain", "yes").set("CAfile", pki.caFile())
                        // /bin/sh runs the script in its own process: /proc/PID/cmdline shows argv[0] as given
                        .set("exec", "/bin/sh").set("execArgs", "custom0  " + reporter + "\tone two"))));
        Payload payload = Payload.of(100_000);

        Exchange ex = Exchange.run(TlsPeer.connect("127.0.0.1", tunnel.port(SERVICE), pki.caFile(), pki.client()), payload)
                .requireSuccess();

        Map<String, String> r = report(ex.receivedText());
        assertEquals("custom0 " + reporter + " one two ", r.get("CMDLINE"), "argv from execArgs, split on blanks");
        assertEquals(reporter + " one two", r.get("ARGV"));
        assertEquals("127.0.0.1", r.get("REMOTE_HOST"));
        assertEquals(Integer.toString(ex.localPort()), r.get("REMOTE_PORT"));
        assertEquals("CN=" + TestPki.CLIENT_CN, r.get("SSL_CLIENT_DN"));
        assertEquals("CN=" + TestPki.CA_CN, r.get("SSL_CLIENT_I_DN"));
        assertEquals(Long.toString(payload.size()), r.get("COUNT"), "everything sent reached the program, then EOF");
        assertEquals(payload.digest().sha256(), r.get("SHA256"));
        assertFalse(ex.receivedText().contains("to stderr"), "foreground = yes: the program's stderr is the log's");

        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, ex.localPort());
        log.requireInOrder(StunnelLog.accepted(SERVICE, ex.localPort()), StunnelLog.TLS_ACCEPTED, CHILD_STARTED,
                StunnelLog.closed(ex.received().count(), payload.size()));
        log.requireAbsent(StunnelLog.connectedRemote(SERVICE));
        Matcher m = CHILD_STARTED.matcher(log.require(CHILD_STARTED).text());
        assertTrue(m.matches());
        tunnel.awaitLog(Pattern.compile("Child process " + m.group(1) + " finished with code 7"));
        assertTrue(tunnel.stderr().contains("to stderr"), "the program's stderr goes to jstunnel's");
    }

    @Test
    void withoutAClientCertificateOnlyTheAddressIsSetAndStderrJoinsTheConnection() {
        Path reporter = Scripts.reporter(dir, 0);
        // foreground = quiet: stunnel does not log to stderr, so the program's stderr joins the connection
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .global("foreground", "quiet")
                .service(SERVICE, s -> s.accept("127.0.0.1:0").identity(pki.server()).set("exec", reporter))));

        Exchange ex = Exchange.run(TlsPeer.connect("127.0.0.1", tunnel.port(SERVICE), pki.caFile(), null), new byte[] {'x'})
                .requireSuccess();

        Map<String, String> r = report(ex.receivedText());
        assertEquals(reporter + " ", r.get("ARGV"), "without execArgs argv is the exec path alone");
        assertEquals("127.0.0.1", r.get("REMOTE_HOST"));
        assertEquals("<unset>", r.get("SSL_CLIENT_DN"));
        assertEquals("<unset>", r.get("SSL_CLIENT_I_DN"));
        assertEquals("1", r.get("COUNT"));
        assertTrue(ex.receivedText().contains("to stderr\n"), ex.receivedText());
        ConnectionLog.awaitEnded(tunnel, SERVICE, ex.localPort()).require(StunnelLog.closed(ex.received().count(), 1));
        tunnel.awaitLog(Pattern.compile("Child process \\d+ finished with code 0"));
    }

    @Test
    void globalExecIsEveryServicesDefault() {
        Path reporter = Scripts.reporter(dir, 0);
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .global("exec", "/bin/sh").global("execArgs", "inherited " + reporter)
                .service("a", s -> s.accept("127.0.0.1:0").identity(pki.server()))
                .service("b", s -> s.accept("127.0.0.1:0").identity(pki.server()).set("execArgs", "own " + reporter))));

        for (String[] want : new String[][] {{"a", "inherited"}, {"b", "own"}}) {
            Exchange ex = Exchange.run(TlsPeer.connect("127.0.0.1", tunnel.port(want[0]), pki.caFile(), null),
                    new byte[] {'x'}).requireSuccess();
            assertEquals(want[1] + " " + reporter + " ", report(ex.receivedText()).get("CMDLINE"), "service " + want[0]);
        }
    }
}
