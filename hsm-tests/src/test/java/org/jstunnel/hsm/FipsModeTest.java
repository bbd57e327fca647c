package org.jstunnel.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jstunnel.hsm.support.Env;
import org.jstunnel.hsm.support.FipsProvider;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.OpenSslClient;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TestPki;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fips = yes} with OpenSSL 3.0's FIPS provider, a test fixture built from Debian's source by
 * scripts/build-fips-provider.sh (not a validated module): approved suites handshake in TLS 1.2 and 1.3,
 * ChaCha20-Poly1305 is refused, {@code -version} and the log say so, and without a provider the
 * start fails cleanly, naming where OpenSSL looked. The fixture failing to build fails these tests.
 */
class FipsModeTest {
    private static final String SERVICE = "fips";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path pkiDir;
    static TestPki pki;
    static FipsProvider fips;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final Resources res = new Resources();

    @BeforeAll
    static void provider() {
        fips = FipsProvider.ensure();
        pki = TestPki.create(pkiDir, TestPki.KeyType.RSA_2048);
    }

    /** bin/jstunnel as any OpenSSL 3 program finds the provider: OPENSSL_CONF including fipsmodule.cnf. */
    private Path jstunnel(Path conf) {
        return new Env(Map.of("OPENSSL_CONF", conf.toString())).wrap(dir, "jstunnel-fips", Binaries.underTest());
    }

    private TunnelProcess fipsServer(int backend) {
        StunnelConfig c = new StunnelConfig().global("fips", "yes").global("debug", "debug")
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(backend).identity(pki.server()));
        return res.add(TunnelProcess.launch(jstunnel(fips.availableConf()), dir, "jstunnel", c).awaitReady());
    }

    /** s_client (not in FIPS mode: it offers everything) with {@code args}; returns its exit code and stderr. */
    private OpenSslClient client(TunnelProcess t, String name, String... args) {
        List<String> a = new ArrayList<>(OpenSslClient.verifying(pki.caFile()));
        a.addAll(List.of(args));
        OpenSslClient c = res.add(OpenSslClient.connect(dir, name, t.port(SERVICE), a));
        c.send(Payload.of(1000));
        try {
            c.awaitReceived(1000, Timeouts.LOG_LINE);
        } catch (AssertionError e) {
            // refused: s_client exits by itself
        }
        c.closeInput();
        c.awaitExit();
        return c;
    }

    @Test
    void approvedSuitesHandshakeAndChaChaIsRefused() throws Exception {
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess t = fipsServer(echo.port());
        t.awaitLog(Pattern.compile("FIPS provider enabled"));
        t.awaitLog(Pattern.compile("FIPS mode enabled"));
        t.awaitLog(Pattern.compile("Threading:VIRTUAL Sockets:NIO,IPv[46] TLS:ENGINE,FIPS,OCSP,PSK,SNI"));

        for (String[] ok : List.of(new String[] {"-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384"},
                new String[] {"-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256"},
                new String[] {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"},
                new String[] {"-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384"})) {
            OpenSslClient c = client(t, "s_client-" + ok[2], ok);
            assertTrue(c.stderr().contains("Ciphersuite: " + ok[2]), String.join(" ", ok) + ":\n" + c.stderr());
            assertEquals(Payload.of(1000).digest(), c.received(), ok[2] + " echoed");
        }
        int mark = t.mark();
        OpenSslClient chacha13 = client(t, "s_client-chacha13", "-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256");
        OpenSslClient chacha12 = client(t, "s_client-chacha12", "-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305");
        for (OpenSslClient c : List.of(chacha13, chacha12)) {
            assertFalse(c.stderr().contains("Ciphersuite: "), "ChaCha20-Poly1305 must not be negotiated:\n" + c.stderr());
            assertEquals(0, c.received().count(), "no data through a refused handshake");
        }
        t.awaitLog(mark, Pattern.compile("SSL_accept: .*no shared cipher"), 2);
        // the defaults stunnel uses in FIPS mode
        t.awaitLog(Pattern.compile("Ciphers: FIPS:!DH:!kDHEPSK"));
        t.awaitLog(Pattern.compile("ECDH curves: P-256:P-521:P-384"));
    }

    @Test
    void versionSaysFipsAndASystemWideFipsConfigurationTurnsItOn() throws Exception {
        Env.Result avail = new Env(Map.of("OPENSSL_CONF", fips.availableConf().toString()))
                .run(dir, Binaries.underTest().toString(), "-version");
        assertEquals(0, avail.exitCode(), avail.output());
        assertTrue(avail.output().contains("TLS:ENGINE,FIPS,OCSP,PSK,SNI"), avail.output());
        assertTrue(avail.output().contains("fips                   = no"), avail.output());

        Env.Result sys = new Env(Map.of("OPENSSL_CONF", fips.systemWideConf().toString()))
                .run(dir, Binaries.underTest().toString(), "-version");
        assertTrue(sys.output().contains("fips                   = yes"), sys.output());

        // default_properties = fips=yes in the OpenSSL configuration: FIPS mode without a fips line
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig c = new StunnelConfig().service(SERVICE, s -> s.accept("127.0.0.1:0").connect(echo.port())
                .identity(pki.server()));
        TunnelProcess t = res.add(TunnelProcess.launch(jstunnel(fips.systemWideConf()), dir, "jstunnel", c).awaitReady());
        t.awaitLog(Pattern.compile("FIPS mode enabled"));
        OpenSslClient ok = client(t, "s_client-sys", "-tls1_3");
        assertTrue(ok.stderr().contains("Ciphersuite: TLS_AES_"), ok.stderr());

        // and fips = no cannot override it (stunnel's rule)
        StunnelConfig no = new StunnelConfig().global("fips", "no").service(SERVICE, s -> s.accept("127.0.0.1:0")
                .connect(echo.port()).identity(pki.server()));
        TunnelProcess refused = res.add(TunnelProcess.launch(jstunnel(fips.systemWideConf()), dir, "jstunnel-no", no));
        Optional<Integer> code = refused.awaitExit(Timeouts.STARTUP);
        assertTrue(code.isPresent() && code.get() != 0, "fips = no under a system-wide FIPS configuration must fail");
        assertTrue(refused.stderr().contains("\"fips = no\": Failed to override system-wide FIPS mode"), refused.stderr());
    }

    @Test
    void fipsYesWithoutAProviderFailsNamingWhereItLooked() throws Exception {
        Path emptyModules = Files.createDirectories(dir.resolve("no-modules"));
        Path plainConf = Files.writeString(dir.resolve("plain-openssl.cnf"), "# no providers configured\n");
        Path bin = new Env(Map.of("OPENSSL_CONF", plainConf.toString(), "OPENSSL_MODULES", emptyModules.toString()))
                .wrap(dir, "jstunnel-nofips", Binaries.underTest());
        StunnelConfig c = new StunnelConfig().global("fips", "yes").service(SERVICE, s -> s.accept("127.0.0.1:0")
                .connect(9).identity(pki.server()));
        TunnelProcess p = res.add(TunnelProcess.launch(bin, dir, "jstunnel", c));
        Optional<Integer> code = p.awaitExit(Timeouts.STARTUP);
        assertTrue(code.isPresent(), "jstunnel did not exit");
        assertNotEquals(0, code.get());
        String err = p.stderr();
        assertTrue(err.contains("\"fips = yes\": FIPS provider not available"), err);
        assertTrue(err.contains("looked for fips.so in " + emptyModules + " (OPENSSL_MODULES)"), err);
        assertTrue(err.contains(plainConf + " (OPENSSL_CONF)"), err);
        assertTrue(err.contains("[!] Configuration failed"), err);
        assertFalse(Files.exists(p.logFile()) && Files.readString(p.logFile()).contains("Accepting new connections"));
    }
}
