package org.jstunnel.it.unix;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.SClient;
import org.jstunnel.it.unix.support.FakeSessiond;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sessiond}: two tunnel processes of the same service share a sessiond (a small python
 * one); a TLS 1.2 session made on the first (session id: the client sends no ticket) resumes on
 * the second, which fetched it from sessiond. jstunnel with jstunnel, and jstunnel with stunnel4
 * both ways. stunnel's GET waits only about one scheduler tick, so a stunnel4 resumer gets three tries.
 */
class SessiondTest extends EcPkiTestSupport {
    private static final String SERVICE = "shared";

    private TunnelProcess node(String which, String label, int sessiondPort) {
        EchoBackend echo = res.add(new EchoBackend());
        Path binary = which.equals("stunnel4") ? Binaries.stunnel4() : Binaries.underTest();
        return res.add(TunnelProcess.launch(binary, dir, label, new StunnelConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(echo.port()).identity(pki.server())
                        .set("sessiond", "127.0.0.1:" + sessiondPort))).awaitReady());
    }

    private SClient handshake(int port, Path sessIn, Path sessOut) {
        List<String> args = new ArrayList<>(List.of("-tls1_2", "-no_ticket", "-CAfile", pki.caFile().toString()));
        if (sessIn != null) args.addAll(List.of("-sess_in", sessIn.toString()));
        if (sessOut != null) args.addAll(List.of("-sess_out", sessOut.toString()));
        SClient c = SClient.run(dir.resolve("clients"), port, args, "", Duration.ofMillis(600), "SSL handshake has read");
        assertNotNull(c.session(), "the handshake must succeed\n" + c);
        return c;
    }

    @ParameterizedTest(name = "{0} makes, {1} resumes")
    @CsvSource({"jstunnel, jstunnel", "jstunnel, stunnel4", "stunnel4, jstunnel"})
    void aSessionMadeOnOneNodeResumesOnTheOther(String maker, String resumer) throws Exception {
        FakeSessiond sessiond = res.add(FakeSessiond.start(dir));
        TunnelProcess a = node(maker, "a-" + maker, sessiond.port());
        TunnelProcess b = node(resumer, "b-" + resumer, sessiond.port());
        int tries = resumer.equals("stunnel4") ? 3 : 1;
        boolean reused = false;
        for (int i = 0; i < tries && !reused; i++) {
            Path sess = dir.resolve("session-" + i + ".pem");
            SClient first = handshake(a.port(SERVICE), null, sess);
            assertFalse(first.reused(), first.toString());
            reused = handshake(b.port(SERVICE), sess, null).reused();
        }
        assertTrue(reused, "the second node resumed the first node's session\n" + sessiond.requests());
        assertTrue(Pattern.compile("(?m)^NEW [0-9A-F]{64} \\d+ 300$").matcher(sessiond.requests()).find(),
                "the maker sent NEW with the session and sessionCacheTimeout\n" + sessiond.requests());
        assertTrue(sessiond.requests().contains(" hit"), sessiond.requests());
        b.awaitLog(Pattern.compile("cache_transfer: session found"));
        b.awaitLog(Pattern.compile("TLS accepted: previous session reused"));
        a.awaitLog(Pattern.compile("cache_transfer: request=new, timeout=300, id=[0-9A-F]{64}, length=\\d+"));
    }
}
