package org.jstunnel.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.attach.support.Scripts;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.LogLine;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * exec+connect: a service with both {@code exec} and {@code connect} (and no {@code accept}) starts
 * its program with the daemon and connects it to the remote TLS server; {@code retry = yes} starts
 * it again after each round. The remote TLS server here is a second service of the same process,
 * in front of an echo backend, so the program's line comes back to it.
 */
class ExecConnectTest extends EcPkiTestSupport {
    private static final String SERVICE = "exec-connect";
    private static final Pattern RETRYING = Pattern.compile("Retrying an exec\\+connect section");


    /** Sends one line, writes the echoed line to {@code rounds.txt}, exits (ending the round). */
    private Path program() {
        return Scripts.write(dir, "ping.sh", """
                #!/bin/sh
                echo "ping $$"
                read -r reply
                echo "$reply" >> '%s'
                """.formatted(dir.resolve("rounds.txt")));
    }

    private List<String> rounds() {
        try {
            Path f = dir.resolve("rounds.txt");
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TunnelProcess start(String retry) {
        EchoBackend echo = res.add(new EchoBackend());
        int tlsPort = Ports.freeLoopbackPort();
        Path program = program();
        return res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service("tls-echo", s -> s.accept(Ports.loopback(tlsPort)).identity(pki.server()).connect(echo.port()))
                .service(SERVICE, s -> s.client().set("exec", program).connect(tlsPort)
                        .set("verifyChain", "yes").set("CAfile", pki.caFile()).set("checkHost", "localhost")
                        .set("retry", retry))));
    }

    @Test
    void retryStartsTheProgramAgainAfterEachRound() {
        TunnelProcess tunnel = start("yes");
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (rounds().size() < 3) {
            if (d.expired()) throw new AssertionError("rounds so far: " + rounds());
            d.pause();
        }
        for (String line : rounds()) assertTrue(line.matches("ping \\d+"), line);
        assertTrue(rounds().stream().distinct().count() >= 3, "a new program each round: " + rounds());

        List<LogLine> retries = tunnel.awaitLog(0, RETRYING, 2);
        String first = retries.get(0).id();
        assertTrue(first.matches("\\d+_0"), "round ids are ID_ROUND: " + first);
        String base = first.substring(0, first.indexOf('_'));
        assertEquals(base + "_1", retries.get(1).id());
        List<LogLine> round0 = Logs.ofConnection(tunnel.log(), first);
        ConnectionLogs.requireInOrder(round0, Pattern.compile("Local mode child started \\(PID=\\d+\\)"),
                Pattern.compile("Service \\[" + SERVICE + "\\] accepted connection from 127\\.0\\.0\\.1:\\d+"),
                StunnelLog.connectedRemote(SERVICE), StunnelLog.TLS_CONNECTED, StunnelLog.CONNECTION_END, RETRYING);
    }

    /** stunnel 5.75's {@code retry = DELAY}: milliseconds between rounds ({@code yes} = 1000). */
    @Test
    void retryDelayInMillisecondsPacesTheRounds() throws InterruptedException {
        TunnelProcess tunnel = start("100");
        tunnel.awaitLog(0, RETRYING, 1);
        int before = rounds().size();
        Thread.sleep(4000);
        int in4s = rounds().size() - before;
        // retry = yes would allow at most 4 rounds in 4 s; 100 ms leaves room for many more
        assertTrue(in4s >= 8, "rounds in 4 s with retry = 100: " + in4s);
    }

    @Test
    void withoutRetryTheProgramRunsOnce() throws InterruptedException {
        TunnelProcess tunnel = start("no");
        LogLine started = tunnel.awaitLog(Pattern.compile("Local mode child started \\(PID=\\d+\\)"));
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (Logs.ofConnection(tunnel.log(), started.id()).stream().noneMatch(l -> l.matches(StunnelLog.CONNECTION_END))) {
            if (d.expired()) throw new AssertionError("the exec+connect round [" + started.id() + "] did not end");
            d.pause();
        }
        LogLine end = Logs.ofConnection(tunnel.log(), started.id()).stream()
                .filter(l -> l.matches(StunnelLog.CONNECTION_END)).findFirst().orElseThrow();
        assertTrue(end.text().startsWith("Connection closed"), end.text());
        assertTrue(end.id().matches("\\d+"), "a single round has a plain id: " + end.id());
        Thread.sleep(1500); // longer than the retry pause
        assertEquals(1, rounds().size(), rounds().toString());
        assertTrue(tunnel.findLog(RETRYING).isEmpty());
    }

    /** Ordered matching over a list of lines (ConnectionLog needs an accepted line with a port). */
    private static final class ConnectionLogs {
        static void requireInOrder(List<LogLine> lines, Pattern... patterns) {
            int from = 0;
            for (Pattern p : patterns) {
                int found = -1;
                for (int i = from; i < lines.size(); i++) {
                    if (lines.get(i).matches(p)) {
                        found = i;
                        break;
                    }
                }
                if (found < 0) throw new AssertionError("no /" + p + "/ after line " + from + ":\n" + Logs.render(lines));
                from = found + 1;
            }
        }
    }
}
