package org.jstunnel.config;

import static org.jstunnel.config.TestConfigs.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** No secret from the configuration may appear in a message. */
class SecretMaskingTest {
    private static final String KEY = "000102030405060708090a0b0c0d0e0f";

    @Test
    void maskingRules() {
        assertEquals("engineCtrl = PIN:****", SecretMasker.maskLine("engineCtrl = PIN:123456"));
        assertEquals("  ENGINECTRL=so_pin:****", SecretMasker.maskLine("  ENGINECTRL=so_pin:99"));
        assertEquals("engineCtrl = PASSWORD:****", SecretMasker.maskLine("engineCtrl = PASSWORD:x y z"));
        assertEquals("engineCtrl = MODULEPATH:/usr/lib/softhsm.so",
                SecretMasker.maskLine("engineCtrl = MODULEPATH:/usr/lib/softhsm.so"));
        assertEquals("engineCtrl = INIT", SecretMasker.maskLine("engineCtrl = INIT"));
        assertEquals("ticketKeySecret = ****", SecretMasker.maskLine("ticketKeySecret = " + KEY));
        assertEquals("ticketMacSecret=****", SecretMasker.maskLine("ticketMacSecret=" + KEY + "   "));
        assertEquals("protocolPassword = ****", SecretMasker.maskLine("protocolPassword = hunter2"));
        assertEquals("providerParameter = pkcs11:pkcs11-pin=****",
                SecretMasker.maskLine("providerParameter = pkcs11:pkcs11-pin=1234"));
        assertEquals("providerParameter = default:module=x.so", SecretMasker.maskLine("providerParameter = default:module=x.so"));
        assertEquals("ticketKeySecret ****", SecretMasker.maskLine("ticketKeySecret " + KEY), "even without '='");
        assertEquals("\uFEFFticketKeySecret = ****", SecretMasker.maskLine("\uFEFFticketKeySecret = " + KEY));
        assertEquals("cert = secret.pem", SecretMasker.maskLine("cert = secret.pem"));
        assertEquals("ticketKeySecret =", SecretMasker.maskLine("ticketKeySecret ="));
        assertEquals("key = pkcs11:token=t;object=k;type=private?pin-value=****",
                SecretMasker.maskLine("key = pkcs11:token=t;object=k;type=private?pin-value=8642"));
        assertEquals("cert = pkcs11:object=c;PIN-VALUE=****;type=cert?module-path=/x.so",
                SecretMasker.maskLine("cert = pkcs11:object=c;PIN-VALUE=86;type=cert?module-path=/x.so"));
        assertEquals("key = pkcs11:object=k?pin-source=/etc/pin.txt", SecretMasker.maskLine("key = pkcs11:object=k?pin-source=/etc/pin.txt"));
    }

    @Test
    void errorsOnSecretLinesNeverShowTheSecret() {
        String pin = error("engineCtrl = PIN:8642097531\n", Strictness.SYNTAX);
        assertEquals("test.conf:1: \"engineCtrl = PIN:****\": No engine was defined", pin);
        String run = error("engine = pkcs11\nengineCtrl = PIN:8642097531\n", Strictness.SYNTAX)
                + error("[s]\nprotocolPassword = 8642097531\n", Strictness.RUN)
                + error("[s]\nticketKeySecret = 86420975318642097531864209753186\n", Strictness.RUN)
                + error("[s]\nticketKeySecret = 8642097531zz\n", Strictness.SYNTAX)
                + error("[s]\nkeyfile = pkcs11:object=k?pin-value=8642097531\n", Strictness.SYNTAX);
        assertFalse(run.contains("8642097531"), run);
    }

    @Test
    void detailLinesDoNotCarryTheValueEither() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TestConfigs.syntax("[s]\nticketMacSecret = 86:42:09:75:31\n"));
        assertEquals("ticketMacSecret value has 5 bytes instead of required 16 or 32 bytes", e.logLines().get(0));
        assertFalse(String.join("\n", e.logLines()).contains("86:42"));
    }

    @Test
    void optionsToStringMasksSecrets() throws ConfigException {
        Configuration c = TestConfigs.syntax("[s]\ncert = c.pem\naccept = 1\nconnect = 2\nticketKeySecret = " + KEY
                + "\nticketMacSecret = " + KEY + "\nprotocolPassword = hunter2\n");
        String text = c.service("s").toString();
        assertFalse(text.contains(KEY) || text.contains("hunter2"), text);
        assertEquals(KEY, c.service("s").string("ticketKeySecret"), "the value itself stays usable");
    }

    @Test
    void hexKeysAcceptColonsBetweenBytesOnly() throws ConfigException {
        String colons = "00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F";
        Configuration c = TestConfigs.syntax("[s]\ncert = c.pem\naccept = 1\nconnect = 2\nticketKeySecret = " + colons
                + "\nticketMacSecret = " + KEY + KEY + "\n");
        assertEquals(KEY, c.service("s").string("ticketKeySecret"));
        assertEquals(64, c.service("s").string("ticketMacSecret").length());
        assertEquals("Required ticketKeySecret is 16 or 32 byte hexadecimal key",
                assertThrows(ConfigException.class, () -> TestConfigs.syntax("[s]\nticketKeySecret = 0:001\n"))
                        .logLines().get(0));
    }
}
