package org.jstunnel.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.regex.Pattern;
import org.jstunnel.hsm.support.HsmFixture;
import org.jstunnel.hsm.support.HsmTestSupport;
import org.jstunnel.hsm.support.JsseClient;
import org.jstunnel.hsm.support.TokenShim;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Token faults on the engine path (libp11 in front of the project's fault-injecting module and
 * SoftHSM2): after the token's sessions are really closed (a device removed and back) or it is
 * logged out (a token reset), the handshake that meets the fault fails, and later ones succeed
 * again by themselves, without a restart (libp11 alone, as in stunnel, fails until restarted).
 */
class HsmTokenRecoveryTest extends HsmTestSupport {
    private TokenShim shim;
    private TunnelProcess server;
    private final JsseClient jsse = JsseClient.trusting(hsm().caFile());

    private static HsmFixture hsm() { return hsm; }

    private void start() {
        shim = TokenShim.in(dir);
        shim.set("");
        EchoBackend echo = res.add(new EchoBackend());
        server = res.add(TunnelProcess.launch(shim.env(hsm.hsm().env()).wrap(dir, "jstunnel-shim", Binaries.underTest()),
                dir, "jstunnel", shim.engineConfig().service("token", s -> s.accept("127.0.0.1:0")
                        .connect(echo.port()).set("engineId", "pkcs11").set("cert", hsm.ecServerCert())
                        .set("key", hsm.token().uri(HsmFixture.EC)))).awaitReady());
    }

    @ParameterizedTest
    @CsvSource({
        "close_sessions=1, the token's session was lost",
        "logout=1, the key's handle is no longer valid", // SoftHSM2 says CKR_OBJECT_HANDLE_INVALID
    })
    void handshakesSucceedAgainWithoutARestart(String fault, String why) throws Exception {
        start();
        assertTrue(handshake(), "before the fault");
        shim.set(fault);
        long t0 = System.nanoTime();
        boolean first = handshake();
        long recoveredMs = -1;
        int failed = first ? 0 : 1;
        for (int i = 0; i < 100 && recoveredMs < 0; i++) {
            if (handshake()) recoveredMs = (System.nanoTime() - t0) / 1_000_000;
            else failed++;
        }
        System.out.printf("[hsm] %s: %d handshake(s) failed, handshakes succeed again %d ms after the fault%n",
                fault, failed, recoveredMs);
        assertTrue(recoveredMs >= 0 && recoveredMs < 1000, "recovered after " + recoveredMs + " ms");
        server.awaitLog(Pattern.compile("Private key on token \"" + HsmFixture.TOKEN + "\": " + Pattern.quote(why)
                + "; loading it again"));
        server.awaitLog(Pattern.compile("Private key on token \"" + HsmFixture.TOKEN + "\" loaded again"));
        for (int i = 0; i < 5; i++) assertTrue(handshake(), "handshake after the recovery");
        assertTrue(server.log().stream().noneMatch(l -> l.toString().contains(HsmFixture.PIN)), "the PIN in a log line");
    }

    @Test
    void anInjectedErrorFailsHandshakesOnlyWhileItLasts() throws Exception {
        start();
        assertTrue(handshake());
        shim.set("fail=0xB3"); // CKR_SESSION_HANDLE_INVALID from every signature: reloading does not help
        for (int i = 0; i < 3; i++) assertTrue(!handshake(), "handshake while the token fails");
        shim.set("");
        long t0 = System.nanoTime();
        long recoveredMs = -1;
        for (int i = 0; i < 100 && recoveredMs < 0; i++) {
            if (handshake()) recoveredMs = (System.nanoTime() - t0) / 1_000_000;
        }
        System.out.printf("[hsm] injected CKR_SESSION_HANDLE_INVALID cleared: handshakes succeed %d ms later%n", recoveredMs);
        assertTrue(recoveredMs >= 0 && recoveredMs < 1000, "recovered after " + recoveredMs + " ms");
    }

    @Test
    void aRefusedPinIsTriedOnceAndNeverAgain() throws Exception {
        start();
        assertTrue(handshake());
        long loginsBefore = shim.stats().getOrDefault("logins", 0L);
        shim.set("close_sessions=1", "login_fail=0xA0"); // sessions lost, and the PIN now refused (CKR_PIN_INCORRECT)
        for (int i = 0; i < 10; i++) {
            assertTrue(!handshake(), "handshake without a session");
            Thread.sleep(150); // longer than the recovery's minimum interval
        }
        long logins = shim.stats().getOrDefault("logins", 0L) - loginsBefore;
        System.out.printf("[hsm] refused PIN: %d C_Login call(s) during 10 failing handshakes%n", logins);
        assertEquals(1, logins, "the PIN was tried once");
        server.awaitLog(Pattern.compile("Private key on token \"" + HsmFixture.TOKEN
                + "\": the PIN was refused; not tried again .*"));
        assertTrue(server.process().isAlive());
        assertTrue(server.log().stream().noneMatch(l -> l.toString().contains(HsmFixture.PIN)), "the PIN in a log line");
    }

    private boolean handshake() {
        try (Socket s = jsse.connect(server.port("token"), "TLSv1.3")) {
            OutputStream o = s.getOutputStream();
            o.write("x\n".getBytes());
            InputStream in = s.getInputStream();
            return in.readNBytes(2).length == 2;
        } catch (IOException e) {
            return false;
        }
    }
}
