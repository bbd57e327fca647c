package org.jstunnel.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Commands;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.CaPki;
import org.jstunnel.it.tls.support.Conns;
import org.jstunnel.it.tls.support.SClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Certificates and TLS knobs: PKCS#12 (empty password, and a password typed on the terminal as
 * stunnel asks for it), DH parameters appended to the certificate file, {@code config} (SSL_CONF),
 * {@code compression}, {@code renegotiation}, and the PRNG options.
 */
class TlsOptionsTest {
    private static final String SERVICE = "opts";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path pkiDir;
    static CaPki pki;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final Resources res = new Resources();

    @BeforeAll
    static void pki() {
        pki = CaPki.create(pkiDir);
    }

    private StunnelConfig config(Consumer<StunnelConfig.Section> body) {
        EchoBackend echo = res.add(new EchoBackend());
        return new StunnelConfig().service(SERVICE, s -> {
            s.accept("127.0.0.1:0").connect(echo.port());
            body.accept(s);
        });
    }

    private TunnelProcess start(Consumer<StunnelConfig.Section> body) {
        return res.add(TunnelProcess.start(dir, "jstunnel", config(body)));
    }

    private SClient echo(TunnelProcess t, List<String> args) {
        List<String> all = new ArrayList<>(List.of("-CAfile", pki.bothCasFile().toString()));
        all.addAll(args);
        return SClient.run(dir.resolve("clients"), t.port(SERVICE), all, "ping\n", Duration.ofMillis(3000), "\nping");
    }

    private Path pkcs12(String password) {
        Path p12 = dir.resolve("server.p12");
        Commands.run(dir, List.of(Binaries.OPENSSL, "pkcs12", "-export", "-in", pki.server.certFile().toString(),
                "-inkey", pki.server.keyFile().toString(), "-certfile", pki.intermediateFile().toString(),
                "-passout", "pass:" + password, "-out", p12.toString()));
        try {
            Files.setPosixFilePermissions(p12, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p12;
    }

    @Test
    void pkcs12WithAnEmptyPasswordLoadsWithoutAsking() {
        Path p12 = pkcs12("");
        TunnelProcess t = start(s -> s.set("cert", p12));
        SClient c = echo(t, List.of("-tls1_3", "-verify_return_error", "-verify_hostname", "localhost"));
        assertTrue(c.stdout().contains("\nping"), c.toString());
        assertTrue(c.stdout().contains("Verification: OK"), c.toString());
        t.awaitLog(Pattern.compile("Certificate and private key loaded from file: " + Pattern.quote(p12.toString())));
    }

    /** ctx.c load_pkcs12_file: the empty password first, then "Enter FILE pass phrase:" on the terminal. */
    @Test
    void pkcs12PasswordIsAskedOnTheTerminal() throws IOException {
        Path p12 = pkcs12("s3cret pass");
        StunnelConfig c = config(s -> s.set("cert", p12));
        Path conf = dir.resolve("tty.conf");
        Path log = dir.resolve("tty.log");
        Files.writeString(conf, c.render(log));
        // script(1) gives the program a terminal (/dev/tty) fed from our stdin
        ManagedProcess p = res.add(ManagedProcess.start("script", dir, List.of("script", "-qfc",
                Binaries.underTest() + " " + conf, "/dev/null"), false));
        Deadline d = Deadline.after(Timeouts.STARTUP);
        while (!p.stdout().contains("Enter " + p12 + " pass phrase:")) {
            if (d.expired() || !p.isAlive()) throw new AssertionError("no pass phrase prompt\n" + p.diagnostics());
            d.pause();
        }
        OutputStream in = p.process().getOutputStream();
        in.write("s3cret pass\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        Logs.await(log, 0, TunnelProcess.READY, 1, Timeouts.STARTUP, p::isAlive);
        int port = -1;
        for (var l : Logs.read(log)) {
            var m = TunnelProcess.BOUND.matcher(l.text());
            if (m.matches()) port = Integer.parseInt(m.group(3));
        }
        SClient sc = SClient.run(dir.resolve("clients"), port, List.of("-CAfile", pki.bothCasFile().toString(),
                "-tls1_2"), "ping\n", Duration.ofMillis(3000), "\nping");
        assertTrue(sc.stdout().contains("\nping"), sc.toString());
    }

    @Test
    void pkcs12WithAWrongPasswordAndNoTerminalFails() {
        Path p12 = pkcs12("not empty");
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "jstunnel", config(s -> s.set("cert", p12))));
        // no terminal: OpenSSL's UI reads stdin instead, and finds it closed
        try {
            t.process().process().getOutputStream().close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(1, t.awaitExit(Timeouts.STARTUP).orElseThrow(), t.stderr());
        assertTrue(t.stderr().contains("PKCS12_parse"), t.stderr());
    }

    /** ctx.c dh_init: DH parameters appended to the certificate file are used for DHE ciphers. */
    @Test
    void dhParametersFromTheCertificateFile() throws IOException {
        Path key = dir.resolve("rsa.key");
        Path cert = dir.resolve("rsa.pem");
        Commands.run(dir, List.of(Binaries.OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-subj", "/CN=localhost", "-days", "2", "-out", cert.toString()));
        String params = Commands.run(dir, List.of(Binaries.OPENSSL, "genpkey", "-genparam", "-algorithm", "DH",
                "-pkeyopt", "group:ffdhe3072"));
        Path withDh = dir.resolve("rsa-dh.pem");
        Files.writeString(withDh, Files.readString(cert) + params);
        TunnelProcess t = start(s -> s.set("cert", withDh).set("key", key).set("ciphers", "DHE-RSA-AES256-GCM-SHA384"));
        SClient c = SClient.run(dir.resolve("clients"), t.port(SERVICE), List.of("-tls1_2", "-cipher",
                "DHE-RSA-AES256-GCM-SHA384"), "ping\n", Duration.ofMillis(3000), "\nping");
        assertTrue(c.stdout().contains("Server Temp Key: DH, 3072 bits"), c.toString());
        t.awaitLog(Pattern.compile("3072-bit DH parameters loaded"));

        // without parameters in the file: stunnel's dynamic parameters
        TunnelProcess dynamic = res.add(TunnelProcess.start(dir, "dynamic", config(s -> s.set("cert", cert)
                .set("key", key).set("ciphers", "DHE-RSA-AES256-GCM-SHA384"))));
        SClient d = SClient.run(dir.resolve("clients"), dynamic.port(SERVICE), List.of("-tls1_2"), "ping\n",
                Duration.ofMillis(3000), "\nping");
        assertTrue(d.stdout().contains("Server Temp Key: DH, 2048 bits"), d.toString());
        dynamic.awaitLog(Pattern.compile("Using dynamic DH parameters"));
    }

    /** stunnel runs the commands after its own settings (so they win over sslVersionMax), before curves. */
    @Test
    void configCommandsReachOpenSsl() {
        TunnelProcess t = start(s -> s.set("cert", pki.server.chainFile()).set("key", pki.server.keyFile())
                .set("config", "MaxProtocol:TLSv1.2").set("config", "CipherString:ECDHE-ECDSA-AES128-GCM-SHA256"));
        SClient ok = echo(t, List.of());
        assertTrue(ok.stdout().contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"), ok.toString());
        SClient v13 = echo(t, List.of("-tls1_3"));
        assertNotEquals(0, v13.exitCode(), v13.toString());
        assertEquals(Integer.valueOf(70), v13.alertNumber(), "protocol_version\n" + v13);
        SClient cipher = echo(t, List.of("-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"));
        assertNotEquals(0, cipher.exitCode(), cipher.toString());
        assertEquals(Integer.valueOf(40), cipher.alertNumber(), "handshake_failure\n" + cipher);
    }

    @Test
    void unknownConfigCommandFailsTheConfiguration() {
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "jstunnel", config(s -> s
                .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()).set("config", "NoSuchCommand:1"))));
        assertEquals(1, t.awaitExit(Timeouts.STARTUP).orElseThrow(), t.stderr());
        assertTrue(t.stderr().contains("OpenSSL config command \"NoSuchCommand\" was not recognised"), t.stderr());
    }

    /** Debian's OpenSSL 3 has no compression methods: stunnel refuses the option; so does jstunnel. */
    @ParameterizedTest
    @ValueSource(strings = {"deflate", "zlib"})
    void compressionIsRefusedWithoutOpenSslSupport(String type) {
        StunnelConfig c = config(s -> s.set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()))
                .global("compression", type);
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "jstunnel", c));
        assertEquals(1, t.awaitExit(Timeouts.STARTUP).orElseThrow(), t.stderr());
        assertTrue(t.stderr().contains("Configured compression is unsupported by OpenSSL"), t.stderr());
        assertTrue(t.stderr().contains("Global options: Failed to initialize TLS"), t.stderr());
    }

    /** With OpenSSL 3 a client may renegotiate only if options = ALLOW_CLIENT_RENEGOTIATION. */
    @Test
    void renegotiationAllowedByOptionsWorks() {
        TunnelProcess t = start(s -> s.set("cert", pki.server.chainFile()).set("key", pki.server.keyFile())
                .set("options", "ALLOW_CLIENT_RENEGOTIATION"));
        SClient c = SClient.run(dir.resolve("clients"), t.port(SERVICE), List.of(SClient.COMMANDS, "-tls1_2"),
                "before\n" + SClient.PAUSE + "R\n" + SClient.PAUSE + "after\n", Duration.ofMillis(3000), "\nafter");
        assertTrue(c.all().contains("RENEGOTIATING"), c.toString());
        assertTrue(c.stdout().contains("\nbefore") && c.stdout().contains("\nafter"), c.toString());
    }

    @Test
    void renegotiationNoAbortsTheConnection() {
        TunnelProcess t = start(s -> s.set("cert", pki.server.chainFile()).set("key", pki.server.keyFile())
                .set("options", "ALLOW_CLIENT_RENEGOTIATION").set("renegotiation", "no"));
        int mark = t.mark();
        SClient c = SClient.run(dir.resolve("clients"), t.port(SERVICE), List.of(SClient.COMMANDS, "-tls1_2"),
                "before\n" + SClient.PAUSE + "R\n" + SClient.PAUSE + "after\n", Duration.ofMillis(3000), "\nafter");
        assertTrue(!c.stdout().contains("\nafter"), c.toString());
        ConnectionLog log = Conns.awaitEnded(t, mark, SERVICE);
        log.require(Pattern.compile("Aborting due to renegotiation request"));
        assertEquals("reset", log.end().status(), log.end().line().raw());
    }

    @Test
    void renegotiationIsRefusedByOpenSslByDefault() {
        TunnelProcess t = start(s -> s.set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()));
        SClient c = SClient.run(dir.resolve("clients"), t.port(SERVICE), List.of(SClient.COMMANDS, "-tls1_2"),
                "before\n" + SClient.PAUSE + "R\n" + SClient.PAUSE + "after\n", Duration.ofMillis(3000), "\nafter");
        assertTrue(c.all().contains("no renegotiation"), c.toString());
        assertTrue(!c.stdout().contains("\nafter"), c.toString());
    }

    /** Service options in the global section are every service's defaults (stunnel copies them into each section). */
    @Test
    void globalSectionDefaultsApplyToEveryService() {
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig c = new StunnelConfig()
                .global("cert", pki.server.chainFile().toString()).global("key", pki.server.keyFile().toString())
                .global("CAfile", pki.rootFile().toString()).global("verifyChain", "yes")
                .global("CRLfile", pki.crlFile().toString()).global("sessionResume", "no")
                .service("one", s -> s.accept("127.0.0.1:0").connect(echo.port()))
                .service("two", s -> s.accept("127.0.0.1:0").connect(echo.port()).set("verifyChain", "no"));
        TunnelProcess t = res.add(TunnelProcess.start(dir, "jstunnel", c));
        List<String> revoked = List.of("-tls1_2", "-cert", pki.revoked.certFile().toString(), "-key",
                pki.revoked.keyFile().toString(), "-cert_chain", pki.revoked.chainFile().toString());
        SClient one = SClient.run(dir.resolve("clients"), t.port("one"), revoked, "ping\n", Duration.ofMillis(3000), "\nping");
        assertEquals(Integer.valueOf(44), one.alertNumber(), "inherited CAfile, verifyChain and CRLfile\n" + one);
        SClient two = SClient.run(dir.resolve("clients"), t.port("two"), revoked, "ping\n", Duration.ofMillis(3000), "\nping");
        assertTrue(two.stdout().contains("\nping"), "the section's own verifyChain = no wins\n" + two);
        assertTrue(!two.stdout().contains("TLS session ticket:"), "inherited sessionResume = no\n" + two);
    }

    @Test
    void aCrlFileWithoutCrlsFailsTheConfiguration() {
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "jstunnel", config(s -> s
                .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()).set("CAfile", pki.rootFile())
                .set("verifyChain", "yes").set("CRLfile", pki.rootFile()))));
        assertEquals(1, t.awaitExit(Timeouts.STARTUP).orElseThrow(), t.stderr());
        assertTrue(t.stderr().contains("Failed to load " + pki.rootFile() + " revocation lookup file"), t.stderr());
        assertTrue(t.stderr().contains("X509_load_crl_file"), t.stderr());
    }

    /** OpenSSL 3 seeds itself: the seed file is neither needed nor rewritten; EGD is accepted and unused. */
    @Test
    void prngOptionsAreAcceptedAndNeedNoSeeding() throws IOException {
        Path seed = dir.resolve("seed.bin");
        byte[] bytes = new byte[64];
        Files.write(seed, bytes);
        StunnelConfig c = config(s -> s.set("cert", pki.server.chainFile()).set("key", pki.server.keyFile()))
                .global("RNDfile", seed.toString()).global("RNDbytes", "32").global("RNDoverwrite", "yes")
                .global("EGD", dir.resolve("no-egd-socket").toString()).global("debug", "debug");
        TunnelProcess t = res.add(TunnelProcess.start(dir, "jstunnel", c));
        assertTrue(t.stderr().contains("No PRNG seeding was required") || Files.readString(t.logFile())
                .contains("No PRNG seeding was required"), t.stderr());
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(seed)), "the seed file is untouched");
        SClient ok = echo(t, List.of("-tls1_3"));
        assertTrue(ok.stdout().contains("\nping"), ok.toString());
    }
}
