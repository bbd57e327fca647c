package org.jstunnel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The configurations of stunnel(8)'s EXAMPLES section, taken from the manual text itself and from the corpus. */
class ManualExamplesTest {
    private static Configuration good(String name) throws ConfigException {
        return ConfigLoader.load(TestConfigs.resource("configs/good/" + name), Strictness.SYNTAX);
    }

    @Test
    void theExamplesSectionHasElevenConfigurations() throws IOException {
        assertEquals(11, ManualText.examples().size(), String.join("----\n", ManualText.examples()));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleOfTheManualParsesInSyntaxMode() throws IOException {
        List<String> examples = ManualText.examples();
        return examples.stream().map(text -> DynamicTest.dynamicTest("example " + (examples.indexOf(text) + 1),
                () -> assertFalse(TestConfigs.syntax(text).services().isEmpty())));
    }

    @Test
    void theExamplesOfThe575ManualAreTheirConfigurations() throws IOException {
        List<String> examples = ManualText.examples(ManualText.MANUAL_575);
        assertTrue(examples.size() >= 11, String.join("----\n", examples));
        assertTrue(examples.stream().anyMatch(e -> e.contains("setEnv = PKCS11_MODULE_PATH")), "the provider example");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleOfThe575ManualParsesInSyntaxMode() throws IOException {
        List<String> examples = ManualText.examples(ManualText.MANUAL_575);
        return examples.stream().map(text -> DynamicTest.dynamicTest("5.75 example " + (examples.indexOf(text) + 1),
                () -> assertFalse(TestConfigs.syntax(text).services().isEmpty(), text)));
    }

    @Test
    void everyLineOfTheExamplesIsInTheCorpus() throws IOException {
        Set<String> corpus = new HashSet<>();
        for (Path p : CorpusTest.confs("good")) {
            if (p.getFileName().toString().startsWith("manual-")) {
                for (String l : Files.readAllLines(p)) corpus.add(l.strip());
            }
        }
        for (String example : ManualText.examples()) {
            for (String l : example.split("\n")) {
                if (!l.isBlank()) assertTrue(corpus.contains(l.strip()), "not in configs/good/manual-*.conf: " + l);
            }
        }
    }

    @Test
    void remoteImapd() throws ConfigException {
        ServiceOptions s = good("manual-imapd-remote.conf").services().get(0);
        assertEquals("imapd", s.name());
        assertEquals(List.of(new Address("0.0.0.0", 993, null)), s.accept());
        assertEquals(List.of(new Address("localhost", 143, null)), s.connect());
        assertFalse(s.bool("client"));
    }

    @Test
    void imapClient() throws ConfigException {
        Configuration c = ConfigLoader.load(TestConfigs.resource("configs/good/manual-imap-client.conf"));
        ServiceOptions s = c.services().get(0);
        assertFalse(c.inetdMode());
        assertTrue(s.bool("client"));
        assertEquals(List.of(new Address("servername", 993, null)), s.connect());
        assertEquals("servername", s.sniServerName()); // stunnel's default SNI: the connect host
    }

    @Test
    void inetdImapd() throws ConfigException {
        Configuration c = good("manual-inetd-imapd.conf");
        assertTrue(c.inetdMode());
        ServiceOptions s = c.services().get(0);
        assertTrue(s.isInetd());
        assertEquals("stunnel", s.name());
        assertEquals("/usr/sbin/imapd", s.string("exec"));
        assertEquals("imapd", s.string("execArgs"));
        assertTrue(s.accept().isEmpty());
    }

    @Test
    void vpnWithPty() throws ConfigException {
        ServiceOptions s = good("manual-vpn-pppd.conf").service("vpn");
        assertTrue(s.bool("pty"));
        assertEquals("pppd local", s.string("execArgs"));
    }

    @Test
    void socks() throws ConfigException {
        ServiceOptions client = good("manual-socks-client.conf").service("socksclient");
        assertEquals(List.of(new Address("127.0.0.1", 1080, null)), client.accept());
        assertTrue(client.bool("verifyPeer"));
        assertTrue(client.bool("requireCert"), "verifyPeer = yes implies requireCert");
        assertEquals("stunnel.pem", client.string("CAfile"));
        ServiceOptions server = good("manual-socks-server.conf").service("socksserver");
        assertEquals("socks", server.string("protocol"));
        assertEquals("stunnel.key", server.string("key"));
    }

    @Test
    void sniMasterAndSlaves() throws ConfigException {
        Configuration c = good("manual-sni.conf");
        assertEquals(List.of("virtual", "sni1", "sni2"), c.services().stream().map(ServiceOptions::name).toList());
        assertEquals("default.pem", c.service("virtual").string("cert"));
        assertEquals("virtual:server1.mydomain.com", c.service("sni1").string("sni"));
        assertTrue(c.service("sni1").accept().isEmpty());
        assertNull(c.service("sni1").sniServerName(), "server mode sends no SNI");
        assertEquals("server2-allowed-clients.pem", c.service("sni2").string("CAfile"));
    }

    @Test
    void pkcs11Engine() throws ConfigException {
        Configuration c = good("manual-engine-pkcs11.conf");
        assertEquals(List.of("MODULEPATH:opensc-pkcs11.so", "PIN:123456"), c.global().strings("engineCtrl"));
        ServiceOptions s = c.service("service");
        assertEquals("pkcs11", s.string("engineId"));
        assertEquals("pkcs11:token=MyToken;object=MyCert", s.string("cert"));
        assertEquals("pkcs11:token=MyToken;object=MyKey", s.string("key"));
        assertEquals(List.of(new Address("example.com", 843, null)), s.connect());
    }

    @Test
    void softHsmKeyDefaultsToCert() throws ConfigException {
        ServiceOptions s = good("manual-engine-softhsm.conf").service("service");
        assertEquals("pkcs11:token=MyToken;object=KeyCert", s.string("key"));
        assertFalse(s.isSet("key"));
    }

    @Test
    void capiEngine() throws ConfigException {
        Configuration c = good("manual-engine-capi.conf");
        assertEquals("capi", c.global().string("engine"));
        assertEquals("capi", c.service("service").string("engineId"));
    }

    @Test
    void optionSnippets() throws ConfigException {
        ServiceOptions s = good("manual-option-snippets.conf").service("ipv6");
        assertEquals(List.of(new Address("::", 8443, null)), s.accept());
        assertEquals(List.of("NO_SSLv2", "NO_SSLv3", "DONT_INSERT_EMPTY_FRAGMENTS", "NO_SSLv2", "NO_SSLv3"),
                s.strings("options"));
        assertEquals(List.of("l:SO_LINGER=1:60", "r:SO_OOBINLINE=yes", "a:SO_REUSEADDR=no", "a:SO_BINDTODEVICE=lo"),
                s.strings("socket"));
    }
}
