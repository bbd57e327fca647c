package org.jstunnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TlsClient;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * A peer that resets the TCP connection (RST, no close_notify) during the transfer. stunnel's poll sees
 * the error first and logs it at info level as "TLS fd: ..." (SO_ERROR), then reads end of stream: the
 * connection ends as "closed", not "reset" (checked against stunnel4 5.68).
 */
class PeerResetTest extends EcPkiTestSupport {
    private static final String SERVICE = "echo";


    @Test
    void aTlsClientsResetIsLoggedAtInfoAndTheConnectionEndsClosed() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(echo.port()).identity(pki.server()))));
        int localPort;
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(Ports.LOOPBACK, tunnel.port(SERVICE)), (int) Timeouts.LOG_LINE.toMillis());
            localPort = plain.getLocalPort();
            SSLSocket tls = TlsClient.over(plain, pki.caFile(), "TLSv1.3");
            // the echo comes back and is left unread: closing then sends an RST, without close_notify
            tls.getOutputStream().write(Payload.of(100_000).bytes());
            tls.getOutputStream().flush();
            tunnel.awaitLog(0, StunnelLog.connectedRemote(SERVICE), 1);
            Thread.sleep(300);
            plain.setSoLinger(true, 0);
        }
        ConnectionLog log = ConnectionLog.awaitEnded(tunnel, SERVICE, localPort);
        assertEquals(6, log.require(Pattern.compile("^TLS fd: Connection reset by peer \\(104\\)$")).level());
        assertEquals("closed", log.end().status());
        assertEquals(100_000, log.end().sentToSocket());
    }
}
