package org.jstunnel.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.CaPki;
import org.jstunnel.it.tls.support.Conns;
import org.jstunnel.it.tls.support.PyTlsServer;
import org.jstunnel.it.tls.support.SClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session resumption, counted from the peer's side ({@code s_client -sess_out}/{@code -sess_in}
 * printing "Reused", Python's {@code session_reused}) and from the log ("TLS accepted: previous
 * session reused"): tickets and session ids in TLS 1.2 and 1.3, {@code options = NO_TICKET} and
 * {@code -NO_TICKET}, {@code sessionResume}, {@code sessionCacheSize}, {@code sessionCacheTimeout},
 * {@code ticketKeySecret}/{@code ticketMacSecret} across a restart and across jstunnel and stunnel4,
 * and the client-side session cache.
 */
class SessionResumptionTest {
    private static final String SERVICE = "resume";
    private static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String MAC = "f0:e1:d2:c3:b4:a5:96:87:78:69:5a:4b:3c:2d:1e:0f";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path pkiDir;
    static CaPki pki;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final Resources res = new Resources();

    @BeforeAll
    static void pki() {
        pki = CaPki.create(pkiDir);
    }

    private TunnelProcess server(Path binary, String label, Consumer<StunnelConfig.Section> extra) {
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig c = new StunnelConfig().service(SERVICE, s -> {
            s.accept("127.0.0.1:0").connect(echo.port()).set("cert", pki.server.chainFile())
                    .set("key", pki.server.keyFile());
            extra.accept(s);
        });
        return res.add(TunnelProcess.launch(binary, dir, label, c).awaitReady());
    }

    private TunnelProcess server(Consumer<StunnelConfig.Section> extra) {
        return server(Binaries.underTest(), "jstunnel", extra);
    }

    /** One handshake; {@code sessOut} saves the session, {@code sessIn} offers one. */
    private SClient handshake(int port, String version, Path sessIn, Path sessOut, boolean ticketsExpected) {
        List<String> args = new ArrayList<>(List.of(version, "-CAfile", pki.rootFile().toString()));
        if (sessIn != null) args.addAll(List.of("-sess_in", sessIn.toString()));
        if (sessOut != null) args.addAll(List.of("-sess_out", sessOut.toString()));
        // TLS 1.3 tickets arrive after the handshake: keep the connection until they are printed
        String until = version.equals("-tls1_3") && ticketsExpected ? "Post-Handshake New Session Ticket arrived"
                : "SSL handshake has read";
        SClient c = SClient.run(dir.resolve("clients"), port, args, "", Duration.ofMillis(ticketsExpected ? 3000 : 600), until);
        assertNotNull(c.session(), "the handshake must succeed\n" + c);
        return c;
    }

    private void assertLoggedReuse(TunnelProcess t, int mark, boolean reused) {
        ConnectionLog log = Conns.awaitEnded(t, mark, SERVICE);
        log.require(reused ? Pattern.compile("TLS accepted: previous session reused") : StunnelLog.TLS_ACCEPTED);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "-tls1_2, ",              // stateless ticket
        "-tls1_3, ",
        "-tls1_2, NO_TICKET",     // session id, from the server's cache
        "-tls1_3, NO_TICKET",     // stateful TLS 1.3 ticket
    })
    void resumes(String version, String option) {
        TunnelProcess t = server(s -> {
            if (option != null) s.set("options", option);
        });
        Path sess = dir.resolve("session.pem");
        int mark = t.mark();
        SClient first = handshake(t.port(SERVICE), version, null, sess, true);
        assertEquals("New", first.session(), first.toString());
        assertLoggedReuse(t, mark, false);
        for (int i = 0; i < 2; i++) { // a session resumes more than once
            mark = t.mark();
            SClient again = handshake(t.port(SERVICE), version, sess, null, true);
            assertEquals("Reused", again.session(), again.toString());
            assertLoggedReuse(t, mark, true);
        }
    }

    /**
     * stunnel's connect persistence: a session kept in the server's cache remembers the target it went
     * to, and resuming it goes there again although round robin would pick the other one. A TLS 1.3
     * resumption copies the cached session (with its address) each time.
     */
    @ParameterizedTest
    @CsvSource({"-tls1_2, jstunnel", "-tls1_3, jstunnel", "-tls1_2, stunnel4", "-tls1_3, stunnel4"})
    void aResumedSessionGoesBackToTheTargetItUsed(String version, String program) {
        EchoBackend other = res.add(new EchoBackend());
        Path binary = program.equals("stunnel4") ? Binaries.stunnel4() : Binaries.underTest();
        TunnelProcess t = server(binary, program, s -> s.set("connect", other.port()).set("failover", "rr")
                .set("options", "NO_TICKET"));
        Path sess = dir.resolve("session.pem");
        int mark = t.mark();
        handshake(t.port(SERVICE), version, null, sess, true);
        ConnectionLog first = Conns.awaitEnded(t, mark, SERVICE);
        String target = first.require(Pattern.compile("^persistence: 127\\.0\\.0\\.1:\\d+ cached$")).text()
                .replaceAll("^persistence: (\\S+) cached$", "$1");
        for (int i = 0; i < 3; i++) {
            mark = t.mark();
            SClient again = handshake(t.port(SERVICE), version, sess, null, true);
            assertEquals("Reused", again.session(), again.toString());
            ConnectionLog log = Conns.awaitEnded(t, mark, SERVICE);
            log.requireInOrder(Pattern.compile("^persistence: " + Pattern.quote(target) + " reused$"),
                    Pattern.compile("^s_connect: connected " + Pattern.quote(target) + "$"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void sessionResumeNoRefusesResumption(String version) {
        TunnelProcess t = server(s -> s.set("sessionResume", "no"));
        Path sess = dir.resolve("session.pem");
        SClient first = handshake(t.port(SERVICE), version, null, sess, false);
        assertTrue(!first.stdout().contains("TLS session ticket:"), "no ticket may be issued\n" + first);
        // s_client writes no session file when the session cannot be resumed at all
        if (!java.nio.file.Files.exists(sess)) return;
        int mark = t.mark();
        SClient again = handshake(t.port(SERVICE), version, sess, null, false);
        assertEquals("New", again.session(), again.toString());
        assertLoggedReuse(t, mark, false);
    }

    /** stunnel applies its own NO_TICKET (sessionResume = no) first, then the user's options: -NO_TICKET brings TLS 1.2 tickets back. */
    @Test
    void minusNoTicketReenablesTls12Tickets() {
        TunnelProcess t = server(s -> s.set("sessionResume", "no").set("options", "-NO_TICKET"));
        Path sess = dir.resolve("session.pem");
        SClient first = handshake(t.port(SERVICE), "-tls1_2", null, sess, true);
        assertTrue(first.stdout().contains("TLS session ticket:"), "a ticket is issued\n" + first);
        int mark = t.mark();
        SClient again = handshake(t.port(SERVICE), "-tls1_2", sess, null, true);
        assertEquals("Reused", again.session(), again.toString());
        assertLoggedReuse(t, mark, true);
    }

    @Test
    void sessionCacheTimeoutExpiresSessions() throws InterruptedException {
        TunnelProcess t = server(s -> s.set("sessionCacheTimeout", "1"));
        Path sess = dir.resolve("session.pem");
        handshake(t.port(SERVICE), "-tls1_2", null, sess, true);
        Thread.sleep(2200);
        SClient again = handshake(t.port(SERVICE), "-tls1_2", sess, null, true);
        assertEquals("New", again.session(), "an expired session must not resume\n" + again);
    }

    /** Session ids (no tickets) live in the server's cache: with room for one, the older one is gone. */
    @Test
    void sessionCacheSizeEvictsOldSessions() {
        TunnelProcess t = server(s -> s.set("sessionCacheSize", "1").set("options", "NO_TICKET"));
        Path a = dir.resolve("a.pem");
        Path b = dir.resolve("b.pem");
        handshake(t.port(SERVICE), "-tls1_2", null, a, true);
        handshake(t.port(SERVICE), "-tls1_2", null, b, true);
        assertEquals("Reused", handshake(t.port(SERVICE), "-tls1_2", b, null, true).session());
        assertEquals("New", handshake(t.port(SERVICE), "-tls1_2", a, null, true).session(), "evicted by the second session");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void ticketSecretsResumeAcrossARestart(String version) {
        Consumer<StunnelConfig.Section> secrets = s -> s.set("ticketKeySecret", KEY).set("ticketMacSecret", MAC);
        TunnelProcess first = server(secrets);
        Path sess = dir.resolve("session.pem");
        assertEquals("New", handshake(first.port(SERVICE), version, null, sess, true).session());
        first.stop();
        TunnelProcess second = server(Binaries.underTest(), "jstunnel-restarted", secrets);
        int mark = second.mark();
        SClient again = handshake(second.port(SERVICE), version, sess, null, true);
        assertEquals("Reused", again.session(), "a ticket from before the restart\n" + again);
        assertLoggedReuse(second, mark, true);
    }

    @Test
    void withoutTicketSecretsARestartForgetsSessions() {
        TunnelProcess first = server(s -> { });
        Path sess = dir.resolve("session.pem");
        handshake(first.port(SERVICE), "-tls1_2", null, sess, true);
        first.stop();
        TunnelProcess second = server(Binaries.underTest(), "jstunnel-restarted", s -> { });
        assertEquals("New", handshake(second.port(SERVICE), "-tls1_2", sess, null, true).session());
    }

    /** Tickets are stunnel's format: issued by one, resumed by the other, when both share the secrets. */
    @ParameterizedTest(name = "{0} issued by {1}")
    @CsvSource({"-tls1_3, jstunnel", "-tls1_2, jstunnel", "-tls1_3, stunnel4", "-tls1_2, stunnel4"})
    void ticketsInteroperateWithStunnel(String version, String issuer) {
        Consumer<StunnelConfig.Section> secrets = s -> s.set("ticketKeySecret", KEY).set("ticketMacSecret", MAC);
        boolean fromJstunnel = issuer.equals("jstunnel");
        TunnelProcess a = server(fromJstunnel ? Binaries.underTest() : Binaries.stunnel4(), "issuer", secrets);
        TunnelProcess b = server(fromJstunnel ? Binaries.stunnel4() : Binaries.underTest(), "resumer", secrets);
        Path sess = dir.resolve("session.pem");
        assertEquals("New", handshake(a.port(SERVICE), version, null, sess, true).session());
        int mark = b.mark();
        SClient again = handshake(b.port(SERVICE), version, sess, null, true);
        assertEquals("Reused", again.session(), "the other program's ticket\n" + again);
        assertLoggedReuse(b, mark, true);
    }

    /** client.c session_cache_retrieve: the client mode offers the last session of the destination again. */
    @ParameterizedTest(name = "TLS {0}")
    @ValueSource(strings = {"1.2", "1.3"})
    void clientModeResumesWithTheRemoteServer(String version) {
        PyTlsServer py = res.add(PyTlsServer.start(dir.resolve("py"), pki.server, version, null));
        TunnelProcess t = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig().service(SERVICE, s -> s
                .client().accept("127.0.0.1:0").connect(py.port()).set("CAfile", pki.rootFile())
                .set("verifyChain", "yes").set("checkHost", "localhost"))));
        for (int i = 1; i <= 3; i++) {
            int mark = t.mark();
            Exchange ex = PlainClient.exchange(t.port(SERVICE), "hello\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("HELLO\n", new String(ex.receivedPrefix(), StandardCharsets.US_ASCII));
            String report = py.awaitConnection(i);
            assertTrue(report.contains("reused=" + (i == 1 ? "False" : "True")), report);
            Conns.awaitEnded(t, mark, SERVICE).require(Pattern.compile(
                    "TLS connected: " + (i == 1 ? "new session negotiated" : "previous session reused")));
        }
    }
}
