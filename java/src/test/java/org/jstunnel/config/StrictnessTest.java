package org.jstunnel.config;

import static org.jstunnel.config.TestConfigs.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** SYNTAX accepts every option with a valid value; RUN rejects what jstunnel does not implement, naming it. */
class StrictnessTest {
    /** A valid value for options whose type alone does not give one. */
    private static final Map<String, String> SAMPLE = Map.ofEntries(
            Map.entry("compression", "zlib"), Map.entry("engine", "pkcs11"), Map.entry("engineCtrl", "MODULEPATH:p11.so"),
            Map.entry("engineDefault", "ALL"), Map.entry("engineId", "pkcs11"), Map.entry("engineNum", "1"),
            Map.entry("provider", "default"), Map.entry("providerParameter", "default:name=value"),
            Map.entry("OCSPflag", "NOCERTS"), Map.entry("socket", "r:TCP_NODELAY=yes"),
            Map.entry("ticketKeySecret", "000102030405060708090a0b0c0d0e0f"),
            Map.entry("ticketMacSecret", "000102030405060708090a0b0c0d0e0f"), Map.entry("protocol", "smtp"),
            Map.entry("transparent", "source"), Map.entry("verify", "2"), Map.entry("sessiond", "127.0.0.1:9999"),
            Map.entry("redirect", "8080"), Map.entry("exec", "/bin/cat"), Map.entry("setuid", "nobody"),
            Map.entry("setgid", "nogroup"));

    private static String sample(OptionSpec s) {
        if (SAMPLE.containsKey(s.name())) return SAMPLE.get(s.name());
        return switch (s.type()) {
            case BOOLEAN -> "yes";
            case INTEGER -> "1";
            case ADDRESS -> "1234";
            case PATH -> "/tmp/x";
            default -> "x";
        };
    }

    /** A configuration that is valid in SYNTAX mode with the option set to the sample value. */
    private static String configWith(OptionSpec s) {
        String line = s.name() + " = " + sample(s) + "\n";
        String engine = s.name().startsWith("engine") && !s.name().equals("engine") ? "engine = pkcs11\n" : "";
        if (s.scope() == Scope.GLOBAL) return engine + line + "[svc]\nclient = yes\naccept = 1\nconnect = 2\n";
        String section = switch (s.name()) {
            case "exec" -> "[svc]\nclient = yes\naccept = 1\n";
            case "redirect" -> "[svc]\ncert = c.pem\nverifyChain = yes\nCAfile = ca.pem\naccept = 1\nconnect = 2\n";
            case "verify" -> "[svc]\nclient = yes\nCAfile = ca.pem\naccept = 1\nconnect = 2\n";
            default -> "[svc]\nclient = yes\naccept = 1\nconnect = 2\n";
        };
        return engine + section + line;
    }

    @TestFactory
    Stream<DynamicTest> everyNotImplementedOptionParsesInSyntaxModeAndFailsInRunMode() {
        return OptionTable.all().stream().filter(s -> s.status() == Status.NOT_IMPLEMENTED)
                .map(s -> DynamicTest.dynamicTest(s.name(), () -> {
                    String text = configWith(s);
                    assertTrue(TestConfigs.syntax(text).global() != null);
                    String message = error(text, Strictness.RUN);
                    String wanted = "option \"" + s.name() + "\" is not implemented yet in jstunnel";
                    assertTrue(message.endsWith(wanted), message);
                    assertTrue(message.startsWith("test.conf:"), message);
                }));
    }

    @TestFactory
    Stream<DynamicTest> engineAndProviderOptionsAreAcceptedInRunMode() {
        // issue 5: the parser accepts them; the engines and providers themselves are opened after parsing
        return Stream.of("engine", "engineCtrl", "engineDefault", "engineId", "engineNum", "provider", "providerParameter")
                .map(OptionTable::find)
                .map(s -> DynamicTest.dynamicTest(s.name(), () -> {
                    Configuration c = TestConfigs.run(configWith(s));
                    assertTrue(c.global() != null);
                }));
    }

    @Test
    void engineDependentOptionsNeedAnEngineInRunModeToo() {
        assertEquals("test.conf:2: \"engineId = pkcs11\": Engine ID not found",
                error("[svc]\nengineId = pkcs11\n", Strictness.RUN));
        assertEquals("test.conf:1: \"engineCtrl = PIN:****\": No engine was defined",
                error("engineCtrl = PIN:8642097531\n", Strictness.RUN));
    }

    @Test
    void partlyImplementedOptionsRejectOnlyTheirMissingValues() throws ConfigException {
        String svc = "[svc]\nclient = yes\naccept = 1\nconnect = 2\n";
        TestConfigs.run("fips = no\ndelay = no\nlogId = sequential\n" + svc);
        TestConfigs.run("fips = yes\n" + svc); // issue 5: the FIPS provider itself is loaded after parsing
        TestConfigs.run(svc + "sni = www.example.com\n");
        // issue 3: every logId type and the delayed resolver
        TestConfigs.run("delay = yes\nlogId = unique\n" + svc + "logId = thread\n");
        TestConfigs.run(svc + "logId = process\n");
        String server = "[svc]\ncert = c.pem\naccept = 1\nconnect = 2\n";
        TestConfigs.run(server + "protocol = PROXY\n");
        TestConfigs.run(server + "protocol = smtp\n"); // issue 12
        TestConfigs.run(server + "protocol = capwin\n");
    }

    @Test
    void serverModeSniIsCheckedWhenTheSectionKnowsItIsAServer() {
        // "client = yes" after the sni line makes it a client-side server name: fine in RUN mode
        String clientAfter = "[svc]\nsni = a:b\naccept = 1\nconnect = 2\nclient = yes\n";
        try {
            assertEquals("a:b", TestConfigs.run(clientAfter).service("svc").sniServerName());
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
        // server mode is implemented (issue 3): inherited from the global section, [master] becomes its
        // own slave, a third endpoint, as in stunnel
        assertEquals("Service [master]: Each service must define two endpoints",
                error("sni = master:www.example\n[master]\ncert = c.pem\naccept = 1\nconnect = 2\n", Strictness.RUN));
    }

    @Test
    void theImplementedCorpusFileSetsEveryImplementedOption() throws ConfigException {
        Configuration c = ConfigLoader.load(TestConfigs.resource("configs/good/implemented-options.conf"));
        for (OptionSpec s : OptionTable.all()) {
            if (s.status() != Status.IMPLEMENTED || s.name().equals("include")) continue;
            boolean set = c.global().isSet(s.name())
                    || (s.scope() == Scope.SERVICE && c.services().stream().anyMatch(x -> x.isSet(s.name())));
            assertTrue(set, s.name() + " is not exercised by implemented-options.conf");
        }
    }
}
