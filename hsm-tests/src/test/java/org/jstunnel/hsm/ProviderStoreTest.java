package org.jstunnel.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.regex.Pattern;
import org.jstunnel.it.support.EcPkiTestSupport;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.OpenSslClient;
import org.jstunnel.it.support.Payload;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;
import org.junit.jupiter.api.Test;

/**
 * stunnel 5.75's {@code provider} and {@code providerParameter}, and {@code cert}/{@code key} as
 * OSSL_STORE URIs (here {@code file:}, which OpenSSL's default provider handles; a pkcs11 provider
 * handles {@code pkcs11:} the same way).
 */
class ProviderStoreTest extends EcPkiTestSupport {
    private static final String SERVICE = "store";


    @Test
    void certAndKeyFromAStoreUriWithAProviderLoaded() {
        EchoBackend echo = res.add(new EchoBackend());
        String uri = "file:" + pki.server().combined().certFile();
        StunnelConfig c = new StunnelConfig().globalRaw("provider = default").globalRaw("provider = legacy")
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(echo.port()).set("cert", uri));
        TunnelProcess t = res.add(TunnelProcess.start(dir, "jstunnel", c));
        t.awaitLog(Pattern.compile("Provider \"legacy\" loaded"));
        t.awaitLog(Pattern.compile("Certificate loaded from: " + Pattern.quote(uri)));
        t.awaitLog(Pattern.compile("Private key loaded from: " + Pattern.quote(uri)));
        OpenSslClient client = res.add(OpenSslClient.connect(dir, "s_client", t.port(SERVICE),
                OpenSslClient.verifying(pki.caFile())));
        client.send(Payload.of(5000));
        assertEquals(Payload.of(5000).digest(), client.awaitReceived(5000, Timeouts.TRANSFER));
        client.closeInput();
        assertEquals(0, client.awaitExit());
    }

    private String fails(StunnelConfig c) {
        TunnelProcess p = res.add(TunnelProcess.launch(org.jstunnel.it.support.Binaries.underTest(), dir, "jstunnel", c));
        Optional<Integer> code = p.awaitExit(Timeouts.STARTUP);
        assertTrue(code.isPresent(), "jstunnel did not exit");
        assertNotEquals(0, code.get());
        assertTrue(p.stderr().contains("[!] Configuration failed"), p.stderr());
        return p.stderr();
    }

    @Test
    void aMissingProviderIsNamed() {
        String err = fails(new StunnelConfig().globalRaw("provider = jstunnel-no-such-provider")
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(9).identity(pki.server())));
        assertTrue(err.contains("\"provider = jstunnel-no-such-provider\": Failed to load provider"), err);
        assertTrue(err.contains("jstunnel-no-such-provider.so"), err);
    }

    /** OSSL_PROVIDER_add_conf_parameter is OpenSSL 3.5's; on Debian 12's 3.0 the option is refused with that reason. */
    @Test
    void providerParameterNeedsOpenSsl35() {
        String err = fails(new StunnelConfig().globalRaw("provider = default")
                .globalRaw("providerParameter = default:pkcs11-pin=8642097531")
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(9).identity(pki.server())));
        if (err.contains("OpenSSL 3.0")) {
            assertTrue(err.contains("providerParameter needs OpenSSL 3.5 or later"), err);
        }
        assertTrue(!err.contains("8642097531"), "a PIN-like parameter value is masked:\n" + err);
    }

    @Test
    void aStoreUriNoProviderHandlesIsExplained() {
        String err = fails(new StunnelConfig().service(SERVICE, s -> s.accept("127.0.0.1:0").connect(9)
                .set("cert", "jstunnelnosuchscheme:thing")));
        assertTrue(err.contains("Cannot open jstunnelnosuchscheme:thing"), err);
        assertTrue(err.contains("No loaded provider handles jstunnelnosuchscheme: URIs"), err);
    }
}
