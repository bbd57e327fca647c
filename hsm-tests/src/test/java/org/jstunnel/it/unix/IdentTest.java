package org.jstunnel.it.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.unix.support.TinyIdentd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ident = USERNAME}: the tunnel asks the client's identd (port 113 of the client's address, a
 * tiny identd the test runs on 127.0.0.3) who owns the connection, and lets it on only for USERNAME.
 * The query, the verdicts and the log lines are checked against jstunnel and stunnel4 alike.
 */
class IdentTest extends EcPkiTestSupport {
    private static final String SERVICE = "identified";

    @ParameterizedTest
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void onlyTheNamedUserGetsThrough(String which) throws Exception {
        Path binary = which.equals("stunnel4") ? Binaries.stunnel4() : Binaries.underTest();
        int port = Ports.freeLoopbackPort(); // stunnel sends its configured accept port: not 0
        TunnelProcess tunnel = res.add(TunnelProcess.launch(binary, dir, which, new StunnelConfig()
                .global("debug", "debug")
                .service(SERVICE, s -> s.client().accept("127.0.0.1:" + port).set("connect", "127.0.0.1:1")
                        .set("ident", "alice").set("TIMEOUTconnect", "3"))).awaitReady());
        try (TinyIdentd identd = new TinyIdentd("127.0.0.3", q -> q + " : USERID : UNIX : alice")) {
            int p = connectFrom("127.0.0.3", port);
            tunnel.awaitLog(Pattern.compile("IDENT authentication passed"));
            tunnel.awaitLog(Pattern.compile("Service \\[" + SERVICE + "\\] accepted connection from 127\\.0\\.0\\.3:" + p));
            assertEquals(p + " , " + port + "\r", identd.queries().get(0), "RFC 1413 query: client port , server port");

            identd.answer(q -> q + " : USERID : UNIX :   bob");
            p = connectFrom("127.0.0.3", port);
            tunnel.awaitLog(Pattern.compile("Connection from 127\\.0\\.0\\.3:" + p + " REFUSED by IDENT \\(user \"bob\"\\)"));

            identd.answer(q -> q + " : ERROR : NO-USER");
            connectFrom("127.0.0.3", port);
            tunnel.awaitLog(Pattern.compile("Incorrect IDENT response type"));

            identd.answer(q -> "garbage");
            connectFrom("127.0.0.3", port);
            tunnel.awaitLog(Pattern.compile("Malformed IDENT response"));
        }
        // no identd at all on the client's address
        connectFrom("127.0.0.4", port);
        tunnel.awaitLog(Pattern.compile("s_connect: connect 127\\.0\\.0\\.4:113: Connection refused \\(111\\)"));
        assertEquals(1, tunnel.log().stream().filter(l -> l.text().startsWith("Service [" + SERVICE + "] accepted connection")).count(),
                "only alice's connection was accepted");
    }

    /** Connects from {@code from}, closes; returns the client port. */
    private static int connectFrom(String from, int port) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(Ports.LOOPBACK, port));
            int p = s.getLocalPort();
            Thread.sleep(300); // keep it open while the tunnel asks identd
            return p;
        }
    }
}
