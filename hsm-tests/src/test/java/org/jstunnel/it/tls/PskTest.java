package org.jstunnel.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Exchange;
import org.jstunnel.it.support.PlainClient;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.Conns;
import org.jstunnel.it.tls.support.SClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PSK authentication ({@code PSKsecrets}, {@code PSKidentity}): a server without any certificate
 * against {@code openssl s_client -psk}, jstunnel against jstunnel, and jstunnel against stunnel4 in
 * both directions; wrong keys and unknown identities are refused; the secrets file is checked as
 * stunnel checks it.
 */
class PskTest {
    private static final String SERVICE = "psk";
    private static final String KEY1 = "00112233445566778899aabbccddeeff";                 // 16 bytes, hexadecimal
    private static final String KEY2 = "this is an ASCII key of 32 bytes";                 // 32 bytes, ASCII

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final Resources res = new Resources();

    private Path secrets(String... lines) {
        try {
            Path f = dir.resolve("psk-" + System.nanoTime() + ".txt");
            Files.writeString(f, String.join("\n", lines) + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            return f;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private TunnelProcess pskServer(Path binary, String label, Path secrets, int backend) {
        return res.add(TunnelProcess.launch(binary, dir, label, new StunnelConfig().service(SERVICE, s -> s
                .accept("127.0.0.1:0").connect(backend).set("PSKsecrets", secrets))).awaitReady());
    }

    private TunnelProcess pskClient(Path binary, String label, Path secrets, String identity, int server, String version) {
        return res.add(TunnelProcess.launch(binary, dir, label, new StunnelConfig().service(SERVICE, s -> {
            s.client().accept("127.0.0.1:0").connect(server).set("PSKsecrets", secrets).set("sslVersion", version);
            if (identity != null) s.set("PSKidentity", identity);
        })).awaitReady());
    }

    @ParameterizedTest(name = "{0} identity {1}")
    @CsvSource({"-tls1_2, alice", "-tls1_3, alice", "-tls1_3, bob", "-tls1_2, bob"})
    void serverWithoutCertificateAcceptsPskClients(String version, String identity) {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess t = pskServer(Binaries.underTest(), "jstunnel", secrets("alice:" + KEY1, "bob:" + KEY2), echo.port());
        String hex = identity.equals("alice") ? KEY1 : hex(KEY2);
        int mark = t.mark();
        SClient c = SClient.run(dir, t.port(SERVICE), List.of(version, "-psk_identity", identity, "-psk", hex,
                "-cipher", "PSK"), "psk works\n", Duration.ofMillis(3000), "\npsk works");
        assertTrue(c.stdout().contains("\npsk works"), c.toString());
        ConnectionLog log = Conns.awaitEnded(t, mark, SERVICE);
        log.require(Pattern.compile("Key configured for PSK identity \"" + identity + "\""));
        // a TLS 1.3 PSK handshake is not a resumption
        log.require(StunnelLog.TLS_ACCEPTED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void wrongKeyIsRefused(String version) {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess t = pskServer(Binaries.underTest(), "jstunnel", secrets("alice:" + KEY1), echo.port());
        int mark = t.mark();
        SClient c = SClient.run(dir, t.port(SERVICE), List.of(version, "-psk_identity", "alice",
                "-psk", "ffeeddccbbaa99887766554433221100", "-cipher", "PSK"), "x\n", Duration.ofMillis(3000), "\nx");
        assertNotEquals(0, c.exitCode(), c.toString());
        assertTrue(!c.stdout().contains("\nx\n"), c.toString());
        ConnectionLog log = Conns.awaitEnded(t, mark, SERVICE);
        log.requireAbsent(StunnelLog.TLS_ACCEPTED);
        assertEquals(0, echo.connections().size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void unknownIdentityIsRefused(String version) {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess t = pskServer(Binaries.underTest(), "jstunnel", secrets("alice:" + KEY1), echo.port());
        int mark = t.mark();
        SClient c = SClient.run(dir, t.port(SERVICE), List.of(version, "-psk_identity", "mallory", "-psk", KEY1,
                "-cipher", "PSK"), "x\n", Duration.ofMillis(3000), "\nx");
        assertNotEquals(0, c.exitCode(), c.toString());
        ConnectionLog log = Conns.awaitEnded(t, mark, SERVICE);
        log.require(Pattern.compile("PSK identity not found \\(session resumption\\?\\)"));
        log.requireAbsent(StunnelLog.TLS_ACCEPTED);
    }

    /** jstunnel client → server (jstunnel or stunnel4), and stunnel4 client → jstunnel server. */
    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
        "jstunnel, jstunnel, TLSv1.3",
        "jstunnel, jstunnel, TLSv1.2",
        "jstunnel, stunnel4, TLSv1.3",
        "jstunnel, stunnel4, TLSv1.2",
        "stunnel4, jstunnel, TLSv1.3",
        "stunnel4, jstunnel, TLSv1.2",
    })
    void tunnelToTunnel(String client, String server, String version) {
        Path file = secrets("alice:" + KEY1, "bob:" + KEY2);
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess srv = pskServer(binary(server), "server", file, echo.port());
        TunnelProcess cli = pskClient(binary(client), "client", file, "bob", srv.port(SERVICE), version);
        int smark = srv.mark();
        Exchange ex = PlainClient.exchange(cli.port(SERVICE), "through two tunnels\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("through two tunnels\n", new String(ex.receivedPrefix(), StandardCharsets.US_ASCII));
        Conns.awaitEnded(srv, smark, SERVICE).require(Pattern.compile("Key configured for PSK identity \"bob\""));
        Conns.awaitEnded(cli, 0, SERVICE).require(Pattern.compile("PSK client configured for identity \"bob\""));
    }

    @Test
    void clientDefaultsToTheFirstIdentity() {
        Path file = secrets("alice:" + KEY1, "bob:" + KEY2);
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess srv = pskServer(Binaries.underTest(), "server", file, echo.port());
        TunnelProcess cli = pskClient(Binaries.underTest(), "client", file, null, srv.port(SERVICE), "TLSv1.3");
        Exchange ex = PlainClient.exchange(cli.port(SERVICE), "hi\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("hi\n", new String(ex.receivedPrefix(), StandardCharsets.US_ASCII));
        Conns.awaitEnded(srv, 0, SERVICE).require(Pattern.compile("Key configured for PSK identity \"alice\""));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jstunnel", "stunnel4"})
    void worldReadableSecretsWarnAndServe(String which) throws IOException {
        // stunnel's file_permissions: a warning, and the keys are used (a config stunnel runs must run)
        Path bin = which.equals("jstunnel") ? Binaries.underTest() : Binaries.stunnel4();
        Path file = secrets("alice:" + KEY1);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess srv = pskServer(bin, which + "-server", file, echo.port());
        srv.awaitLog(Pattern.compile(Pattern.quote("Insecure file permissions on " + file)));
        assertEquals(4, srv.findLog(Pattern.compile(Pattern.quote("Insecure file permissions on " + file)))
                .orElseThrow().level(), "a warning");
        TunnelProcess cli = pskClient(Binaries.underTest(), which + "-client", secrets("alice:" + KEY1), null,
                srv.port(SERVICE), "TLSv1.3");
        Exchange ex = PlainClient.exchange(cli.port(SERVICE), "hi\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("hi\n", new String(ex.receivedPrefix(), StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "alice:00112233445566778899aabbccddee | PSKsecrets line 1: Key shorter than 16 bytes",
        "no colon here | PSKsecrets line 1: Not in identity:key format",
    })
    void badSecretsFileFailsTheConfiguration(String line, String detail) {
        Path file = secrets(line);
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "jstunnel", new StunnelConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(9).set("PSKsecrets", file))));
        assertEquals(1, t.awaitExit(Timeouts.STARTUP).orElseThrow());
        String out = t.stderr();
        assertTrue(out.contains(detail), out);
        assertTrue(out.contains("Failed to read PSK secrets"), out);
    }

    @Test
    void unknownClientIdentityFailsTheConfiguration() {
        Path file = secrets("alice:" + KEY1);
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "jstunnel", new StunnelConfig()
                .service(SERVICE, s -> s.client().accept("127.0.0.1:0").connect(9).set("PSKsecrets", file)
                        .set("PSKidentity", "carol"))));
        assertEquals(1, t.awaitExit(Timeouts.STARTUP).orElseThrow());
        assertTrue(t.stderr().contains("No key found for the specified PSK identity"), t.stderr());
    }

    private static Path binary(String name) {
        return name.equals("stunnel4") ? Binaries.stunnel4() : Binaries.underTest();
    }

    private static String hex(String ascii) {
        StringBuilder sb = new StringBuilder();
        for (byte b : ascii.getBytes(StandardCharsets.US_ASCII)) sb.append(String.format("%02x", b));
        return sb.toString();
    }
}
