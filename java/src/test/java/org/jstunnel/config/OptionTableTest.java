package org.jstunnel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OptionTableTest {
    private static Set<String> names(Status status) {
        return OptionTable.all().stream().filter(s -> s.status() == status).map(OptionSpec::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyOptionOfTheManualIsInTheTableWithItsSpelling() throws IOException {
        Set<String> manual = new TreeSet<>(ManualText.globalSectionOptions());
        manual.addAll(ManualText.serviceSectionOptions());
        assertTrue(manual.size() > 80, "manual parsed: " + manual);
        for (String name : manual) {
            OptionSpec spec = OptionTable.find(name);
            assertNotNull(spec, "option of the manual missing from the table: " + name);
            assertEquals(name, spec.name(), "canonical spelling");
        }
    }

    @Test
    void theTableHasNothingButTheManualsOptionsAndStunnel575Providers() throws IOException {
        Set<String> expected = new TreeSet<>(ManualText.globalSectionOptions());
        expected.addAll(ManualText.serviceSectionOptions());
        expected.add("provider");
        expected.add("providerParameter");
        expected.addAll(List.of("CAengine", "CAstore", "OCSPrequire", "TIMEOUTocsp")); // issue 11: 5.75's, certificates and OCSP
        expected.add("setEnv"); // stunnel 5.75 (issue 11)
        expected.add("adminListen"); // jstunnel extension (issue 13)
        expected.add("pkcs11Sessions"); // jstunnel extensions (issue 10)
        expected.add("pkcs11Timeout");
        OptionTable.all().stream().filter(OptionTable::isExtension).forEach(o -> expected.add(o.name()));
        assertTrue(expected.contains("ticketKeyFile"), "jstunnel's extensions");
        Set<String> table = OptionTable.all().stream().map(OptionSpec::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, table);
        assertEquals(table.size(), OptionTable.all().size(), "no option twice");
    }

    @Test
    void serviceLevelOptionsOfTheManualAreValidInSections() throws IOException {
        for (String name : ManualText.serviceSectionOptions()) {
            assertEquals(Scope.SERVICE, OptionTable.find(name).scope(), name);
        }
        // documented as global, but service options in stunnel's code (so a [section] may set them)
        assertEquals(Scope.SERVICE, OptionTable.find("debug").scope());
        assertEquals(Scope.SERVICE, OptionTable.find("service").scope());
        assertEquals(Scope.GLOBAL, OptionTable.find("pid").scope());
        assertEquals(Scope.GLOBAL, OptionTable.find("provider").scope());
        assertEquals(Scope.GLOBAL, OptionTable.find("providerParameter").scope());
    }

    @Test
    void implementedOptionsAreExactlyWhatTheDataPlaneSupports() {
        assertEquals(new TreeSet<>(List.of("debug", "output", "syslog", "foreground", "pid", "log", "service",
                "include", "fips", "accept", "connect", "client", "cert", "key", "CAfile", "CApath", "verifyChain",
                "verifyPeer", "requireCert", "sslVersion", "sslVersionMin", "sslVersionMax", "ciphers", "ciphersuites",
                "options", "curves", "securityLevel", "TIMEOUTbusy", "TIMEOUTclose", "TIMEOUTconnect", "TIMEOUTidle",
                "failover", "logId", "sni", "checkHost", "checkIP", "checkEmail", "delay", "local",
                "engine", "engineCtrl", "engineDefault", "engineId", "engineNum", "provider", "providerParameter",
                "pkcs11Sessions", "pkcs11Timeout", "exec", "execArgs", "retry", "reset", "protocol", "redirect",
                "CAengine", "CAstore", "OCSPrequire", "TIMEOUTocsp", // issue 11 (5.75)
                // issue 12: protocol negotiations
                "protocolAuthentication", "protocolDomain", "protocolHeader", "protocolHost", "protocolPassword",
                "protocolUsername",
                // issue 3: verification, sessions, SNI, PSK, OCSP, TLS knobs
                "verify", "CRLfile", "CRLpath", "OCSP", "OCSPaia", "OCSPflag", "OCSPnonce", "sessionCacheSize",
                "sessionCacheTimeout", "sessionResume", "ticketKeySecret", "ticketMacSecret", "PSKsecrets",
                "PSKidentity", "config", "compression", "renegotiation", "RNDbytes", "RNDfile", "RNDoverwrite",
                "EGD",
                // issue 11: privileges, jail, stunnel 5.75's setEnv
                "setuid", "setgid", "chroot", "setEnv",
                // issue 13: jstunnel extension
                "adminListen",
                // issue 11: sockets, pty, access checks, sessiond
                "socket", "pty", "transparent", "stack", "libwrap", "ident", "sessiond",

                // issue 14: behind a balancer
                "ticketKeyFile", "drainTimeout", "reusePort", "acceptProxy", "acceptProxyFrom")),
                names(Status.IMPLEMENTED));
        assertEquals(Set.of("iconActive", "iconError", "iconIdle", "taskbar"), names(Status.UNSUPPORTED_PLATFORM));
        assertEquals(Set.of(), names(Status.NOT_IMPLEMENTED), "every option of both manuals runs (issue 11)");
    }

    @Test
    void lookupIsCaseInsensitiveAndKnowsStunnelsAliases() {
        assertSame(OptionTable.find("TIMEOUTidle"), OptionTable.find("timeoutIDLE"));
        assertSame(OptionTable.find("curves"), OptionTable.find("Curve"));
        assertSame(OptionTable.find("sessionCacheTimeout"), OptionTable.find("session"));
        assertSame(OptionTable.find("OCSP"), OptionTable.find("ocsp"));
        assertNull(OptionTable.find("frobnicate"));
        assertNull(OptionTable.find(null));
    }

    @Test
    void defaultsAreStunnel563s() {
        assertEquals("notice", OptionTable.find("debug").defaultValue());
        assertEquals("yes", OptionTable.find("syslog").defaultValue());
        assertEquals("no", OptionTable.find("foreground").defaultValue());
        assertEquals("append", OptionTable.find("log").defaultValue());
        assertEquals("stunnel", OptionTable.find("service").defaultValue());
        assertNull(OptionTable.find("pid").defaultValue());
        assertEquals("prio", OptionTable.find("failover").defaultValue());
        assertEquals("300", OptionTable.find("TIMEOUTbusy").defaultValue());
        assertEquals("60", OptionTable.find("TIMEOUTclose").defaultValue());
        assertEquals("10", OptionTable.find("TIMEOUTconnect").defaultValue());
        assertEquals("43200", OptionTable.find("TIMEOUTidle").defaultValue());
        assertEquals("TLSv1", OptionTable.find("sslVersionMin").defaultValue());
        assertEquals("all", OptionTable.find("sslVersionMax").defaultValue());
        assertEquals("TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256",
                OptionTable.find("ciphersuites").defaultValue());
        assertEquals("HIGH:!aNULL:!SSLv2:!DH:!kDHEPSK", OptionTable.find("ciphers").defaultValue());
        assertEquals("X25519:P-256:X448:P-521:P-384", OptionTable.find("curves").defaultValue());
        assertEquals("2", OptionTable.find("securityLevel").defaultValue());
        assertEquals(List.of("NO_SSLv2", "NO_SSLv3"), OptionTable.find("options").defaults());
        assertEquals("no", OptionTable.find("requireCert").defaultValue());
        assertEquals("no", OptionTable.find("verifyChain").defaultValue());
        assertEquals("no", OptionTable.find("verifyPeer").defaultValue());
        assertEquals("no", OptionTable.find("client").defaultValue());
        assertEquals("sequential", OptionTable.find("logId").defaultValue());
        assertEquals("no", OptionTable.find("fips").defaultValue());
        assertEquals("yes", OptionTable.find("reset").defaultValue());
    }

    @Test
    void repeatableOptionsAreStunnelsLists() {
        for (String n : List.of("accept", "connect", "options", "checkHost", "checkIP", "checkEmail", "config",
                "engine", "engineCtrl", "engineDefault", "OCSPflag", "provider", "providerParameter", "protocolHeader",
                "redirect", "socket")) {
            assertTrue(OptionTable.find(n).repeatable(), n);
        }
        for (String n : List.of("cert", "key", "sni", "debug", "TIMEOUTidle", "client")) {
            assertTrue(!OptionTable.find(n).repeatable(), n);
        }
    }

    @Test
    void secretsAreMarked() {
        assertEquals(Secrecy.VALUE, OptionTable.find("ticketKeySecret").secrecy());
        assertEquals(Secrecy.VALUE, OptionTable.find("ticketMacSecret").secrecy());
        assertEquals(Secrecy.VALUE, OptionTable.find("protocolPassword").secrecy());
        assertEquals(Secrecy.COMMAND_PARAMETER, OptionTable.find("engineCtrl").secrecy());
        assertEquals(Secrecy.NAMED_PARAMETER, OptionTable.find("providerParameter").secrecy());
    }

    @Test
    void everyOptionHasHelpAndSyntax() {
        for (OptionSpec s : OptionTable.all()) {
            assertTrue(!s.summary().isEmpty() && !s.description().isEmpty() && !s.syntax().isEmpty(), s.name());
        }
    }
}
