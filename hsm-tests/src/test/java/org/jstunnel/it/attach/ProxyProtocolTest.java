package org.jstunnel.it.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jstunnel.it.attach.support.HeaderBackend;
import org.jstunnel.it.attach.support.TlsPeer;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * {@code protocol = proxy} (protocol.c proxy_server_late): after connecting the backend, the server
 * sends HAProxy's PROXY protocol v1 line, {@code PROXY TCP4|TCP6 SRC DST SRCPORT DSTPORT\r\n}, naming
 * the TLS client and the address it connected to; then the data follows unchanged.
 */
class ProxyProtocolTest extends EcPkiTestSupport {
    private static final String SERVICE = "proxied";


    private void headerNamesClientAndAcceptAddress(String acceptHost, String proto) {
        HeaderBackend backend = res.add(new HeaderBackend());
        TunnelProcess tunnel = res.add(TunnelProcess.start(dir, "jstunnel", new StunnelConfig()
                .service(SERVICE, s -> s.accept(acceptHost + ":0").identity(pki.server()).connect(backend.port())
                        .set("protocol", "proxy"))));
        int port = tunnel.port(SERVICE);

        Exchange ex = Exchange.run(TlsPeer.connect(acceptHost, port, pki.caFile(), null), "data after the header".getBytes())
                .requireSuccess();

        assertEquals("data after the header", ex.receivedText(), "the header goes to the backend only");
        backend.awaitConnections(1, Timeouts.LOG_LINE).get(0).awaitDone(Timeouts.LOG_LINE);
        assertEquals("PROXY " + proto + " " + acceptHost + " " + acceptHost + " " + ex.localPort() + " " + port,
                backend.headers().get(0));
        tunnel.awaitLog(StunnelLog.closed(21, 21));
    }

    @Test
    void ipv4() {
        headerNamesClientAndAcceptAddress("127.0.0.1", "TCP4");
    }

    @Test
    void ipv6() {
        headerNamesClientAndAcceptAddress("::1", "TCP6");
    }
}
