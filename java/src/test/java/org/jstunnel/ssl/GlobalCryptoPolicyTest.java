package org.jstunnel.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's Java policy without a token: PIN masking, the engine list's order rules and messages,
 * provider loading, and the reasons drawn from libp11's error texts. (The PKCS#11 and FIPS paths
 * end to end are hsm-tests' org.jstunnel.hsm.)
 */
class GlobalCryptoPolicyTest {
    @BeforeAll
    static void load() {
        NativeLibrary.load();
    }

    private static GlobalCrypto.Line line(String option, String value) {
        return new GlobalCrypto.Line(option, value, "test.conf:1", option + " = " + value);
    }

    @Test
    void pinsAreMaskedInControlCommandsAndUris() {
        assertEquals("PIN:********", Secrets.controlCommand("PIN", "123456"));
        assertEquals("so_pin:********", Secrets.controlCommand("so_pin", "1"));
        assertEquals("MODULE_PATH:/usr/lib/softhsm/libsofthsm2.so",
            Secrets.controlCommand("MODULE_PATH", "/usr/lib/softhsm/libsofthsm2.so"));
        assertEquals("INIT", Secrets.controlCommand("INIT", null));
        assertEquals("pkcs11:token=t;object=k?pin-value=********",
            Secrets.identifier("pkcs11:token=t;object=k?pin-value=8642"));
        assertEquals("pkcs11:token=t;pin-value=********;object=k", Secrets.identifier("pkcs11:token=t;pin-value=8642;object=k"));
        assertEquals("/etc/stunnel/key.pem", Secrets.identifier("/etc/stunnel/key.pem"));
    }

    @Test
    void uriAttributesAndReasonsNameTheTokenAndObject() {
        assertEquals("My Token", KeyLoader.attribute("pkcs11:token=My%20Token;object=k?pin-value=1", "token"));
        assertEquals("k", KeyLoader.attribute("pkcs11:token=My%20Token;object=k", "object"));
        assertNull(KeyLoader.attribute("/etc/key.pem", "token"));
        String id = "pkcs11:token=jst;object=rsakey";
        assertEquals("wrong PIN for token \"jst\"",
            KeyLoader.reason(List.of("ERR_CKR_error@p11_slot.c:208: error:420000A0:PKCS#11 module::PIN incorrect"), id, null));
        assertTrue(KeyLoader.reason(List.of("error:40800065:pkcs11 engine::object not found"), id, null)
            .contains("token \"jst\", object \"rsakey\""));
        assertEquals("PKCS#11 module /nonexistent/p11.so could not be loaded (no such file)",
            KeyLoader.reason(List.of("error:41800401:libp11::Unable to load PKCS#11 module"), id, "/nonexistent/p11.so"));
        assertTrue(KeyLoader.reason(List.of("UI lib: no PIN or passphrase configured (jstunnel never prompts)"), id, null)
            .startsWith("token \"jst\" needs a PIN"));
    }

    @Test
    void engineLinesFollowStunnelsOrderRules() {
        Engines e = new Engines();
        CryptoConfigException noEngine = assertThrows(CryptoConfigException.class,
            () -> e.apply(line("engineCtrl", "PIN:4711")));
        assertEquals("test.conf:1: \"engineCtrl = PIN:4711\": No engine was defined", noEngine.getMessage());
        CryptoConfigException missing = assertThrows(CryptoConfigException.class,
            () -> e.apply(line("engine", "jstunnel-no-such-engine")));
        assertEquals("test.conf:1: \"engine = jstunnel-no-such-engine\": Failed to open the engine", missing.getMessage());
        assertTrue(missing.details().get(missing.details().size() - 1).contains("jstunnel-no-such-engine.so"),
            missing.details().toString());
        assertTrue(e.all().isEmpty());
        e.release();
    }

    @Test
    void unknownControlCommandsListWhatTheEngineKnows() throws CryptoConfigException {
        Engines e = new Engines();
        try {
            e.apply(line("engine", "dynamic")); // built into every libcrypto
            assertEquals("dynamic", e.byNumber(1).id());
            assertEquals(e.byNumber(1), e.byId("dynamic"));
            assertNull(e.byNumber(2));
            CryptoConfigException bad = assertThrows(CryptoConfigException.class,
                () -> e.apply(line("engineCtrl", "NO_SUCH_COMMAND:1")));
            assertEquals("test.conf:1: \"engineCtrl = NO_SUCH_COMMAND:1\": Failed to execute the engine control command",
                bad.getMessage());
            assertTrue(String.join("\n", bad.details()).contains("has no control command \"NO_SUCH_COMMAND\"; it knows: SO_PATH"),
                bad.details().toString());
        } finally {
            e.release();
        }
    }

    @Test
    void providersLoadByNameAndAMissingOneIsNamed() throws CryptoConfigException {
        Providers p = new Providers();
        try {
            p.apply(line("provider", "default"));
            assertEquals(List.of("default"), p.names());
            CryptoConfigException bad = assertThrows(CryptoConfigException.class,
                () -> p.apply(line("provider", "jstunnel-no-such-provider")));
            assertEquals("test.conf:1: \"provider = jstunnel-no-such-provider\": Failed to load provider", bad.getMessage());
            assertTrue(String.join("\n", bad.details()).contains("jstunnel-no-such-provider.so"), bad.details().toString());
            if (!NativeCrypto.OSSL_PROVIDER_add_conf_parameter_available()) {
                CryptoConfigException old = assertThrows(CryptoConfigException.class,
                    () -> p.apply(line("providerParameter", "default:x=y")));
                assertTrue(old.getMessage().contains("providerParameter needs OpenSSL 3.5 or later"), old.getMessage());
            }
        } finally {
            p.release();
        }
        assertFalse(NativeCrypto.EVP_default_properties_is_fips_enabled());
    }
}
