package org.jstunnel.it.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.protocol.support.Clients;
import org.jstunnel.it.protocol.support.Postgres;
import org.jstunnel.it.protocol.support.ScriptedPeer;
import org.jstunnel.it.protocol.support.Wire;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * {@code protocol = pgsql} (protocol.c pgsql_*) with Debian's PostgreSQL and psql: server mode answers
 * psql's SSLRequest and terminates TLS in front of a plain connection to the server; client mode
 * sends the SSLRequest to a server with ssl = on and runs psql's plain session inside TLS.
 */
class PgsqlTest extends EcPkiTestSupport {
    private static final String QUERY = "select 'answer:' || (6*7) || ':' || coalesce((select ssl::text from pg_stat_ssl where pid = pg_backend_pid()), 'none')";

    private TunnelProcess tunnel(boolean client, int port) {
        return res.add(TunnelProcess.start(dir, "tunnel", new StunnelConfig()
                .service("pgsql", s -> {
                    s.accept("127.0.0.1:0").connect(port).set("protocol", "pgsql");
                    if (client) s.client();
                    else s.identity(pki.server());
                })));
    }

    private Clients.Result psql(int port, String sslmode) {
        return Clients.run(dir, "", List.of("psql", "-X", "-A", "-t", "-w", "host=127.0.0.1 port=" + port
                + " user=postgres dbname=postgres sslmode=" + sslmode + " sslrootcert=" + pki.caFile()
                + " connect_timeout=20", "-c", QUERY, "-c", "\\conninfo"));
    }

    @Test
    void serverModeTerminatesPsqlsTls() throws Exception {
        Postgres pg = res.add(new Postgres(dir, pki.server()));
        TunnelProcess tunnel = tunnel(false, pg.port());
        Clients.Result r = psql(tunnel.port("pgsql"), "verify-ca");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("answer:42:false"), r.output()); // plain from the tunnel to the server
        assertTrue(r.output().contains("SSL connection (protocol: TLSv1.3"), r.output()); // TLS from psql
    }

    @Test
    void clientModeRunsPsqlsSessionInsideTls() throws Exception {
        Postgres pg = res.add(new Postgres(dir, pki.server()));
        TunnelProcess tunnel = tunnel(true, pg.port());
        Clients.Result r = psql(tunnel.port("pgsql"), "disable");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("answer:42:true"), r.output()); // the server saw TLS
    }

    @Test
    void clientModeServerRejectsTls() throws Exception {
        ScriptedPeer server = res.add(new ScriptedPeer(1, (w, peer) -> {
            peer.note(java.util.HexFormat.of().formatHex(w.read(8)));
            w.write("N");
            w.readLine();
        }));
        TunnelProcess tunnel = tunnel(true, server.port());
        Clients.Result r = psql(tunnel.port("pgsql"), "disable");
        assertTrue(r.exit() != 0, r.output());
        server.awaitConnections(1, Timeouts.LOG_LINE);
        assertEquals(List.of("0000000804d2162f"), server.notes()); // SSLRequest
        tunnel.awaitLog(Pattern.compile("PostgreSQL server rejected TLS"));
    }

    @Test
    void serverModeRefusesAClientWithoutSslRequest() throws Exception {
        ScriptedPeer backend = res.add(new ScriptedPeer(1, (w, peer) -> w.readLine()));
        TunnelProcess tunnel = tunnel(false, backend.port());
        Clients.Result r = psql(tunnel.port("pgsql"), "disable");
        assertTrue(r.exit() != 0, r.output());
        tunnel.awaitLog(Pattern.compile("PostgreSQL client did not request TLS, rejecting"));

        try (Socket s = new Socket("127.0.0.1", tunnel.port("pgsql"))) { // GSSENCRequest: an ErrorResponse
            s.setSoTimeout((int) Timeouts.SOCKET_READ.toMillis());
            Wire w = new Wire(s);
            w.write(new byte[] {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x30});
            byte[] head = w.read(5);
            assertArrayEquals(new byte[] {'E', 0, 0, 0, 61}, head);
            assertTrue(new String(w.read(57), java.nio.charset.StandardCharsets.US_ASCII)
                    .contains("SSL expected but not requested by client"));
        }
        tunnel.awaitLog(Pattern.compile("GSSAPI encryption requested, rejecting gracefully"));
    }
}
