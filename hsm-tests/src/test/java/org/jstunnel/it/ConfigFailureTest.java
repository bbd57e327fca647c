package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A broken configuration stops the program at start: exit code 1, and on stderr the reason, with
 * {@code FILE:LINE: "LINE TEXT": REASON} for a bad line, then {@code Configuration failed}.
 * (stunnel prints these before its log file is opened, so they are on stderr only, prefixed {@code [!]}.)
 */
class ConfigFailureTest extends EcPkiTestSupport {

    private static StunnelConfig.Section valid(StunnelConfig.Section s) {
        return s.accept("127.0.0.1:0").connect(9).identity(pki.server());
    }

    enum Broken {
        UNKNOWN_SERVICE_OPTION("frobnicate = yes", "Specified option name is not valid here",
                c -> c.service("broken", s -> valid(s).raw("frobnicate = yes"))),
        UNKNOWN_GLOBAL_OPTION("frobnicate = 1", "Specified option name is not valid here",
                c -> c.globalRaw("frobnicate = 1").service("fine", ConfigFailureTest::valid)),
        BAD_BOOLEAN("client = maybe", "The argument needs to be either 'yes' or 'no'",
                c -> c.service("broken", s -> valid(s).raw("client = maybe"))),
        BAD_LEVEL("debug = loud", "Illegal debug level",
                c -> c.global("debug", "loud").service("fine", ConfigFailureTest::valid)),
        MISSING_CONNECT(null, "Service [broken]: Each service must define two endpoints",
                c -> c.service("broken", s -> s.accept("127.0.0.1:0").identity(pki.server()))),
        MISSING_CERT_FILE(null, "Service [broken]: Failed to initialize TLS context",
                c -> c.service("broken", s -> s.accept("127.0.0.1:0").connect(9).set("cert", "/nonexistent/cert.pem")));

        final String badLine;
        final String reason;
        final UnaryOperator<StunnelConfig> config;

        Broken(String badLine, String reason, UnaryOperator<StunnelConfig> config) {
            this.badLine = badLine;
            this.reason = reason;
            this.config = config;
        }
    }

    @ParameterizedTest
    @EnumSource(Broken.class)
    void brokenConfigurationIsReportedAndExitsWithOne(Broken broken) throws IOException {
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "jstunnel",
                broken.config.apply(new StunnelConfig())));
        Optional<Integer> code = t.awaitExit(Timeouts.STARTUP);
        assertTrue(code.isPresent(), "a broken configuration must end the program");
        assertEquals(1, code.get(), "exit code");

        String stderr = t.stderr();
        String expected = broken.reason;
        if (broken.badLine != null) {
            expected = t.configFile() + ":" + lineOf(t.configFile(), broken.badLine) + ": \"" + broken.badLine + "\": "
                    + broken.reason;
        }
        assertTrue(stderr.contains(expected), "stderr must contain\n  " + expected);
        assertTrue(stderr.contains("Configuration failed"), "stderr must contain 'Configuration failed'");
        assertTrue(Logs.first(t.log(), StunnelLog.READY).isEmpty(), "must not start accepting");
    }

    @Test
    void missingConfigurationFileIsReportedAndExitsWithOne() {
        Path missing = dir.resolve("no-such.conf");
        ManagedProcess p = res.add(ManagedProcess.start("jstunnel", dir,
                List.of(Binaries.underTest().toString(), missing.toString()), false));
        assertEquals(1, p.exitCode(Timeouts.STARTUP), "exit code");
        assertTrue(p.stderr().contains("Invalid configuration file name \"" + missing + "\""), "stderr names the file");
    }

    private static int lineOf(Path file, String line) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(line)) {
                return i + 1;
            }
        }
        throw new AssertionError("'" + line + "' not in " + file);
    }
}
