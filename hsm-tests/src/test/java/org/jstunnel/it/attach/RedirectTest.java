package org.jstunnel.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.LogLine;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.OpenSslClient;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * {@code redirect} (server mode): a client whose certificate fails verification, or that sends
 * none, is not refused but connected to the redirect target instead of the connect target.
 */
class RedirectTest extends EcPkiTestSupport {
    private static final String SERVICE = "guarded";
    private static final Pattern REDIRECTING = Pattern.compile("Redirecting connection");


    /** An echo round trip with s_client presenting {@code identity} (or none); returns the connection's log. */
    private int connections;

    private ConnectionLog roundTrip(TunnelProcess tunnel, String name, TestPki.Entity identity) {
        List<String> args = new ArrayList<>(OpenSslClient.verifying(pki.caFile()));
        // no session resumption: each client's own certificate decides
        args.add("-no_ticket");
        if (identity != null) args.addAll(List.of("-cert", identity.certFile().toString(), "-key", identity.keyFile().toString()));
        OpenSslClient c = res.add(OpenSslClient.connect(dir, name, tunnel.port(SERVICE), args));
        Payload p = Payload.of(1000);
        c.send(p);
        assertEquals(p.digest(), c.awaitReceived(p.size(), Timeouts.TRANSFER), name);
        c.closeInput();
        assertEquals(0, c.awaitExit(), name);
        // connections are one after another: the n-th end line is this one's
        LogLine end = tunnel.awaitLog(0, StunnelLog.CONNECTION_END, ++connections).get(connections - 1);
        return new ConnectionLog(end.id(), Logs.ofConnection(tunnel.log(), end.id()));
    }

    @Test
    void clientsThatFailAuthenticationGoToTheRedirectTarget() {
        EchoBackend trusted = res.add(new EchoBackend());
        EchoBackend redirected = res.add(new EchoBackend());
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").identity(pki.server())
                        .set("verifyChain", "yes").set("CAfile", pki.caFile())
                        .connect(trusted.port()).set("redirect", "127.0.0.1:" + redirected.port()))));

        roundTrip(tunnel, "trusted-client", pki.client()).requireAbsent(REDIRECTING);
        assertEquals(1, trusted.connections().size());
        assertEquals(0, redirected.connections().size());

        ConnectionLog untrusted = roundTrip(tunnel, "untrusted-client", pki.untrustedClient());
        untrusted.requireInOrder(Pattern.compile("Rejected by CERT at depth=\\d+: .*"), REDIRECTING,
                Pattern.compile("s_connect: connected 127\\.0\\.0\\.1:" + redirected.port()));
        assertEquals(1, redirected.connections().size());

        roundTrip(tunnel, "anonymous-client", null).require(REDIRECTING);
        assertEquals(2, redirected.connections().size());
        assertEquals(1, trusted.connections().size());
    }
}
