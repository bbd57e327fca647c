package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TlsClient;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * stunnel 5.75's {@code setEnv}, and stunnel's line for a bad {@code curves} list (issue 11).
 */
class Stunnel575OptionsTest extends EcPkiTestSupport {

    /** setEnv sets a variable (and a bare NAME unsets one) for the programs jstunnel starts. */
    @Test
    void setEnvReachesTheExecProgram() throws IOException {
        TunnelProcess t = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .global("setEnv", "JST_SETENV=hello world")
                .globalRaw("setEnv = JST_SECOND=2")
                .globalRaw("setEnv = HOME")
                .service("env", s -> s.accept("127.0.0.1:0").set("exec", "/usr/bin/env").identity(pki.server()))));
        String env;
        try (SSLSocket s = TlsClient.connect(t.port("env"), pki.caFile(), "TLSv1.3")) {
            s.setSoTimeout((int) Timeouts.LOG_LINE.toMillis());
            env = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(env.lines().anyMatch("JST_SETENV=hello world"::equals), env);
        assertTrue(env.lines().anyMatch("JST_SECOND=2"::equals), env);
        assertFalse(env.lines().anyMatch(l -> l.startsWith("HOME=")), "setEnv = HOME unsets it: " + env);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void aBadCurvesListFailsWithStunnelsLine(String which) {
        Path bin = which.equals("jstunnel") ? Binaries.underTest() : Binaries.stunnel4();
        TunnelProcess t = res.add(TunnelProcess.launch(bin, dir, which, new StunnelConfig()
                .service("curvy", s -> s.accept("127.0.0.1:0").connect(9).identity(pki.server())
                        .set("curves", "P-256:no-such-group"))));
        assertEquals(1, t.awaitExit(Timeouts.STARTUP).orElseThrow(), "exit code");
        String err = t.stderr();
        assertTrue(err.contains("Invalid groups list in 'curves'"), err);
        assertTrue(err.contains("Service [curvy]: Failed to initialize TLS context"), err);
        if (which.equals("jstunnel")) {
            assertTrue(err.contains("SSL_CTX_set1_groups_list"), "OpenSSL's own error too: " + err);
        }
    }
}
