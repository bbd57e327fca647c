package org.jstunnel.it.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.jstunnel.it.attach.support.TlsPeer;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pty = yes}: the exec program's stdin/stdout is a pseudo-terminal (what {@code tty} prints is
 * a /dev/pts device), with the terminal's default line discipline (echo). jstunnel also makes it the
 * program's controlling terminal in a session of its own, so the end of the connection hangs the
 * terminal up and the program gets SIGHUP. The same conversation runs against stunnel4.
 */
class PtyTest extends EcPkiTestSupport {
    private static final String SERVICE = "shell";
    private static final String SCRIPT = """
            #!/bin/sh
            read -r _ _ _ _ _ sid ttynr _ < /proc/$$/stat
            echo "TTY=$(tty) SID=$sid PID=$$ TTYNR=$ttynr"
            read -r line
            echo "GOT=$line"
            exec sleep 10
            """;

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : line.trim().split(" ")) {
            int eq = f.indexOf('=');
            if (eq > 0) m.put(f.substring(0, eq), f.substring(eq + 1));
        }
        return m;
    }

    /** One line as sent, with its \r if any (without the \n). */
    private static String line(java.io.InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4096; i++) {
            int b = in.read();
            if (b < 0 || b == '\n') return sb.toString();
            sb.append((char) b);
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void theProgramRunsOnAPseudoTerminal(String which) throws Exception {
        Path script = dir.resolve("tty.sh");
        Files.writeString(script, SCRIPT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        TunnelProcess tunnel = res.add(TunnelProcess.launch(
                which.equals("stunnel4") ? Binaries.stunnel4() : Binaries.underTest(), dir, which, new StunnelConfig()
                        .global("debug", "debug")
                        .service(SERVICE, s -> s.accept("127.0.0.1:0").identity(pki.server())
                                .set("exec", script).set("pty", "yes").set("stack", "131072"))).awaitReady());

        // the session and the hang-up are jstunnel's (stunnel's child keeps jstunnel's session): not when the
        // suite itself runs against stunnel4 (-Djstunnel.bin)
        boolean ownSession = which.equals("jstunnel") && !Binaries.underTest().getFileName().toString().startsWith("stunnel");
        try (SSLSocket c = TlsPeer.connect("127.0.0.1", tunnel.port(SERVICE), pki.caFile(), null)) {
            c.setSoTimeout(10_000);
            java.io.InputStream in = c.getInputStream();
            String first = line(in);
            assertTrue(first.endsWith("\r"), "the terminal turns \\n into \\r\\n (ONLCR): " + first);
            Map<String, String> f = fields(first);
            assertTrue(f.get("TTY").matches("/dev/pts/\\d+"), "the program's stdin is a pseudo-terminal: " + first);
            if (ownSession) {
                assertEquals(f.get("PID"), f.get("SID"), "the program leads a session of its own");
                assertNotEquals("0", f.get("TTYNR"), "the terminal is its controlling terminal");
            }
            OutputStream out = c.getOutputStream();
            out.write("hello pty\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("hello pty\r", line(in), "the terminal echoes the input");
            assertEquals("GOT=hello pty\r", line(in), "the program read the line");
            tunnel.awaitLog(Pattern.compile("TTY=" + Pattern.quote(f.get("TTY")) + " allocated"));
        }
        if (ownSession) {
            // the connection ended: the terminal is hung up, the session's leader (now sleep) gets SIGHUP
            tunnel.awaitLog(Pattern.compile("Child process \\d+ terminated on SIGHUP"));
        }
    }
}
