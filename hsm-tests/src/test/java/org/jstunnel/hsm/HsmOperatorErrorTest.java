package org.jstunnel.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jstunnel.hsm.support.EngineCerts;
import org.jstunnel.hsm.support.HsmFixture;
import org.jstunnel.hsm.support.HsmTestSupport;
import org.jstunnel.hsm.support.Pkcs11Tool;
import org.jstunnel.hsm.support.SoftHsm;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.OpenSslClient;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * What an operator gets wrong, and a token failing under a running service. Each start-up error
 * must end with "Configuration failed", a non-zero exit status, a message naming the token, object,
 * engine or module at fault, and the PIN nowhere.
 */
class HsmOperatorErrorTest extends HsmTestSupport {
    private static final String SERVICE = "hsm";
    /** Letters make it impossible to find by chance in a temporary path or a number in the log. */
    private static final String WRONG_PIN = "wrongPin4711x";

    private static Consumer<StunnelConfig.Section> server(String cert, String key) {
        return s -> {
            s.accept("127.0.0.1:0").connect(9).set("engineId", "pkcs11").set("cert", cert);
            if (key != null) s.set("key", key);
        };
    }

    /** Starts jstunnel on {@code config}, expects it to fail; returns its stderr ("[!] ..." lines). */
    private String failsToStart(StunnelConfig config, String... expected) {
        TunnelProcess p = res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel", config));
        Optional<Integer> code = p.awaitExit(Timeouts.STARTUP);
        assertTrue(code.isPresent(), "jstunnel did not exit on a broken configuration");
        assertNotEquals(0, code.get(), "exit status");
        String err = p.stderr();
        assertTrue(err.contains("[!] Configuration failed"), err);
        for (String e : expected) assertTrue(err.contains(e), "no \"" + e + "\" in:\n" + err);
        assertFalse(err.contains(HsmFixture.PIN), "the PIN is on stderr:\n" + err);
        assertFalse(err.contains(WRONG_PIN), "the wrong PIN is on stderr:\n" + err);
        return err;
    }

    @Test
    void wrongPin() {
        failsToStart(hsm.engineConfig(WRONG_PIN).service(SERVICE, server(hsm.token().uri(HsmFixture.RSA), null)),
                "wrong PIN for token \"" + HsmFixture.TOKEN + "\"", "[!] Service [hsm]: Cannot load private key "
                        + hsm.token().uri(HsmFixture.RSA) + " through engine #1 (pkcs11, module " + SoftHsm.MODULE + ")");
    }

    @Test
    void unknownToken() {
        failsToStart(hsm.engineConfig().service(SERVICE, server("pkcs11:token=no-such-token;object=" + HsmFixture.RSA, null)),
                "Cannot load certificate pkcs11:token=no-such-token;object=" + HsmFixture.RSA, "token \"no-such-token\"");
    }

    @Test
    void keyNotFound() {
        failsToStart(hsm.engineConfig().service(SERVICE, server(hsm.rsaServerCert().toString(),
                hsm.token().uri("no-such-key"))), "Cannot load private key " + hsm.token().uri("no-such-key"),
                "object \"no-such-key\"");
    }

    @Test
    void certificateNotFound() {
        // the EC key has no certificate object on the token
        failsToStart(hsm.engineConfig().service(SERVICE, server(hsm.token().uri(HsmFixture.EC), null)),
                "Cannot load certificate " + hsm.token().uri(HsmFixture.EC), "object \"" + HsmFixture.EC + "\"");
    }

    @Test
    void engineNotInstalled() {
        StunnelConfig c = new StunnelConfig().globalRaw("engine = jstunnel-no-such-engine")
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(9).set("engineId", "jstunnel-no-such-engine")
                        .set("cert", hsm.token().uri(HsmFixture.RSA)));
        failsToStart(c, "\"engine = jstunnel-no-such-engine\": Failed to open the engine",
                "Engine \"jstunnel-no-such-engine\" is not installed", "jstunnel-no-such-engine.so");
    }

    @Test
    void modulePathWrong() {
        StunnelConfig c = new StunnelConfig().global("debug", "debug").globalRaw("engine = pkcs11")
                .globalRaw("engineCtrl = MODULE_PATH:/usr/lib/no-such-pkcs11-module.so")
                .globalRaw("engineCtrl = PIN:" + HsmFixture.PIN)
                .service(SERVICE, server(hsm.token().uri(HsmFixture.RSA), null));
        failsToStart(c, "PKCS#11 module /usr/lib/no-such-pkcs11-module.so could not be loaded (no such file)");
    }

    /** stunnel's manual writes MODULEPATH; libp11 calls it MODULE_PATH: say so instead of a bare "invalid cmd name". */
    @Test
    void theManualsModulepathSpellingIsExplained() {
        StunnelConfig c = new StunnelConfig().globalRaw("engine = pkcs11")
                .globalRaw("engineCtrl = MODULEPATH:" + SoftHsm.MODULE)
                .globalRaw("engineCtrl = PIN:" + HsmFixture.PIN)
                .service(SERVICE, server(hsm.token().uri(HsmFixture.RSA), null));
        failsToStart(c, "\"engineCtrl = MODULEPATH:" + SoftHsm.MODULE + "\": Failed to execute the engine control command",
                "has no control command \"MODULEPATH\"", "(did you mean MODULE_PATH?)");
    }

    @Test
    void noPinConfiguredNeverPrompts() {
        StunnelConfig c = new StunnelConfig().globalRaw("engine = pkcs11")
                .globalRaw("engineCtrl = MODULE_PATH:" + SoftHsm.MODULE)
                .service(SERVICE, server(hsm.token().uri(HsmFixture.RSA), null));
        failsToStart(c, "token \"" + HsmFixture.TOKEN + "\" needs a PIN");
    }

    @Test
    void aPinCommandWithTheWrongEngineLineOrderIsRefused() {
        StunnelConfig c = new StunnelConfig().globalRaw("engineCtrl = PIN:" + HsmFixture.PIN)
                .globalRaw("engine = pkcs11").service(SERVICE, server(hsm.token().uri(HsmFixture.RSA), null));
        failsToStart(c, "\"engineCtrl = PIN:****\": No engine was defined");
    }

    @Test
    void pkcs11UriWithoutAnEngineOrProviderIsExplained() {
        StunnelConfig c = new StunnelConfig().service(SERVICE, s -> s.accept("127.0.0.1:0").connect(9)
                .set("cert", hsm.token().uri(HsmFixture.RSA)));
        failsToStart(c, "No loaded provider handles pkcs11: URIs; for the pkcs11 engine set engineId = pkcs11",
                "Cannot open " + hsm.token().uri(HsmFixture.RSA));
    }

    /**
     * The token fails under a running service (its key object is deleted, as a token removal or a
     * revoked session would): that handshake fails and is logged, the process and its other
     * services keep serving, and the broken service keeps accepting.
     */
    @Test
    void aTokenErrorMidRunFailsThatHandshakeOnly() throws Exception {
        String label = "midrun";
        Pkcs11Tool.keygen(hsm.token(), Pkcs11Tool.RSA_2048, label, "0a");
        Path cert = EngineCerts.issue(hsm.token(), label, "localhost", true, hsm.pki().ca(), dir, label);
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig config = hsm.engineConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(echo.port()).set("engineId", "pkcs11")
                        .set("cert", cert).set("key", hsm.token().uri(label)))
                .service("file", s -> s.accept("127.0.0.1:0").connect(echo.port()).identity(hsm.pki().server()));
        TunnelProcess tunnel = res.add(TunnelProcess.launch(hsm.jstunnel(dir), dir, "jstunnel", config).awaitReady());
        assertEquals(0, handshake(tunnel, SERVICE, "before"), "handshake before the token failed");

        Pkcs11Tool.delete(hsm.token(), "privkey", label);
        int mark = tunnel.mark();
        assertNotEquals(0, handshake(tunnel, SERVICE, "during"), "a handshake needing the deleted key must fail");
        tunnel.awaitLog(mark, Pattern.compile("SSL_accept: .*PKCS#11 module::.*"), 1);
        tunnel.awaitLog(mark, Pattern.compile("Connection reset(/closed)?: 0 byte\\(s\\) sent to TLS, 0 byte\\(s\\) sent to socket"), 1);

        assertTrue(tunnel.process().isAlive(), "jstunnel must keep running");
        assertEquals(0, handshake(tunnel, "file", "other-service"), "the other service keeps serving");
        int again = tunnel.mark();
        handshake(tunnel, SERVICE, "again");
        tunnel.awaitLog(again, Pattern.compile("Service \\[hsm\\] accepted connection from .*"), 1);
        assertTrue(tunnel.process().isAlive(), "jstunnel must keep running");
        assertFalse(Files.readString(tunnel.logFile()).contains(HsmFixture.PIN));
    }

    private int handshake(TunnelProcess tunnel, String service, String name) {
        OpenSslClient c = res.add(OpenSslClient.connect(dir, "s_client-" + service + "-" + name, tunnel.port(service),
                List.of("-CAfile", hsm.caFile().toString(), "-verify_return_error")));
        c.send(Payload.of(100));
        try {
            c.awaitReceived(100, Timeouts.LOG_LINE);
        } catch (AssertionError e) {
            // the handshake failed: s_client exits non-zero on its own
        }
        c.closeInput();
        return c.awaitExit();
    }
}
