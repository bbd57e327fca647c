package org.jstunnel.config;

import static org.jstunnel.config.TestConfigs.syntax;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** stunnel's CMD_SET_COPY: a [section] starts as a copy of the global section's service options. */
class InheritanceTest {
    @Test
    void globalServiceOptionsAreDefaultsForEveryService() throws ConfigException {
        Configuration c = syntax("client = yes\nTIMEOUTidle = 99\n"
                + "[a]\naccept = 1\nconnect = 2\n"
                + "[b]\naccept = 3\nconnect = 4\nTIMEOUTidle = 5\nclient = no\ncert = b.pem\n");
        assertTrue(c.service("a").bool("client"));
        assertEquals(99, c.service("a").integer("TIMEOUTidle"));
        assertEquals("test.conf:2", c.service("a").where("TIMEOUTidle"));
        assertTrue(c.service("a").isSet("TIMEOUTidle"));
        assertFalse(c.service("b").bool("client"));
        assertEquals(5, c.service("b").integer("TIMEOUTidle"));
        assertEquals("test.conf:9", c.service("b").where("TIMEOUTidle"));
    }

    @Test
    void unsetOptionsHaveTableDefaultsAndNoOrigin() throws ConfigException {
        ServiceOptions s = syntax("[a]\nclient = yes\naccept = 1\nconnect = 2\n").service("a");
        assertEquals(300, s.integer("TIMEOUTbusy"));
        assertEquals(60, s.integer("TIMEOUTclose"));
        assertEquals(10, s.integer("TIMEOUTconnect"));
        assertEquals(43200, s.integer("TIMEOUTidle"));
        assertEquals("prio", s.string("failover"));
        assertEquals(5, s.logLevel());
        assertEquals(2, s.integer("securityLevel"));
        assertFalse(s.isSet("TIMEOUTbusy"));
        assertNull(s.where("TIMEOUTbusy"));
        assertNull(s.string("cert"));
        assertNull(s.string("key"));
        assertNull(s.local());
        assertEquals(List.of("NO_SSLv2", "NO_SSLv3"), s.strings("options"));
        assertTrue(s.strings("checkHost").isEmpty());
    }

    @Test
    void listOptionsAppendToTheInheritedList() throws ConfigException {
        ServiceOptions s = syntax("connect = backup:1\noptions = NO_TICKET\ncheckHost = a.example\n"
                + "verifyPeer = yes\nCAfile = ca.pem\n"
                + "[a]\nclient = yes\naccept = 1\nconnect = primary:2\noptions = -NO_TICKET\ncheckHost = b.example\n")
                .service("a");
        assertEquals(List.of(new Address("backup", 1, null), new Address("primary", 2, null)), s.connect());
        assertEquals(List.of("NO_SSLv2", "NO_SSLv3", "NO_TICKET", "-NO_TICKET"), s.strings("options"));
        assertEquals(List.of("a.example", "b.example"), s.strings("checkHost"));
        assertEquals("b.example", s.string("checkHost"));
        assertEquals("test.conf:11", s.where("checkHost"));
    }

    @Test
    void theServiceOptionIsNotInherited() throws ConfigException {
        Configuration c = syntax("service = mydaemon\n[a]\nclient = yes\naccept = 1\nconnect = 2\n"
                + "[b]\nclient = yes\naccept = 3\nconnect = 4\nservice = renamed\n");
        assertEquals("mydaemon", c.global().string("service"));
        assertEquals("a", c.service("a").string("service"));
        assertEquals("renamed", c.service("b").string("service"));
        assertEquals("b", c.service("b").name());
    }

    @Test
    void keyDefaultsToCertIncludingAnInheritedOne() throws ConfigException {
        Configuration c = syntax("cert = global.pem\n[a]\naccept = 1\nconnect = 2\n[b]\naccept = 3\nconnect = 4\nkey = b.key\n");
        assertEquals("global.pem", c.service("a").string("key"));
        assertFalse(c.service("a").isSet("key"));
        assertEquals("b.key", c.service("b").string("key"));
    }

    @Test
    void anEmptyPathClearsAnInheritedOne() throws ConfigException {
        ServiceOptions s = syntax("CApath = /etc/ssl/certs\n[a]\nclient = yes\naccept = 1\nconnect = 2\nCApath =\n")
                .service("a");
        assertNull(s.string("CApath"));
        assertTrue(s.isSet("CApath"));
    }

    @Test
    void verifyChainAndVerifyPeerImplyRequireCertInFileOrder() throws ConfigException {
        String base = "CAfile = ca.pem\n[a]\naccept = 1\nconnect = 2\ncert = c.pem\n";
        ServiceOptions implied = syntax(base + "verifyChain = yes\n").service("a");
        assertTrue(implied.bool("requireCert"));
        assertTrue(implied.requestCert());
        assertEquals("test.conf:6", implied.where("requireCert"));
        // a later "requireCert = no" wins, but the certificate is still requested (stunnel's request_cert)
        ServiceOptions later = syntax(base + "verifyPeer = yes\nrequireCert = no\n").service("a");
        assertFalse(later.bool("requireCert"));
        assertTrue(later.requestCert());
        ServiceOptions none = syntax(base + "verifyPeer = no\n").service("a");
        assertFalse(none.bool("requireCert"));
        assertFalse(none.requestCert());
        ServiceOptions inherited = syntax("verifyPeer = yes\n" + base).service("a");
        assertTrue(inherited.bool("requireCert"));
    }

    @Test
    void obsoleteVerifySetsTheNewOptions() throws ConfigException {
        ServiceOptions s = syntax("CAfile = ca.pem\n[a]\naccept = 1\nconnect = 2\nverify = 3\n").service("a");
        assertTrue(s.bool("verifyChain"));
        assertTrue(s.bool("verifyPeer"));
        assertTrue(s.bool("requireCert"));
        ServiceOptions four = syntax("CAfile = ca.pem\n[a]\naccept = 1\nconnect = 2\nverify = 4\n").service("a");
        assertFalse(four.bool("verifyChain"));
        assertTrue(four.bool("verifyPeer"));
        ServiceOptions zero = syntax("[a]\naccept = 1\nconnect = 2\nverify = 0\n").service("a");
        assertFalse(zero.bool("requireCert"));
        assertTrue(zero.requestCert());
    }

    @Test
    void sslVersionSetsMinAndMaxAndLaterLinesWin() throws ConfigException {
        ServiceOptions s = syntax("sslVersion = TLSv1.2\n[a]\nclient = yes\naccept = 1\nconnect = 2\nsslVersionMax = TLSv1.3\n")
                .service("a");
        assertEquals("TLSv1.2", s.string("sslVersionMin"));
        assertEquals("TLSv1.3", s.string("sslVersionMax"));
        assertEquals("TLSv1.2", s.string("sslVersion"));
        assertEquals("test.conf:1", s.where("sslVersionMin"));
        ServiceOptions d = syntax("[a]\nclient = yes\naccept = 1\nconnect = 2\n").service("a");
        assertEquals("TLSv1", d.string("sslVersionMin"));
        assertEquals("all", d.string("sslVersionMax"));
        assertNull(d.string("sslVersion"));
    }

    @Test
    void delayedLookupForcesPriorityFailover() throws ConfigException {
        ServiceOptions s = syntax("[a]\nclient = yes\naccept = 1\nconnect = 2\nfailover = rr\ndelay = yes\n").service("a");
        assertEquals("prio", s.string("failover"));
    }

    @Test
    void localIsASourceAddress() throws ConfigException {
        ServiceOptions s = syntax("[a]\nclient = yes\naccept = 1\nconnect = 2\nlocal = 127.0.0.1\n").service("a");
        assertEquals(new Address("127.0.0.1", 0, null), s.local());
        assertEquals(new Address("::1", 0, null), syntax("[a]\nclient = yes\naccept = 1\nconnect = 2\nlocal = ::1\n")
                .service("a").local());
    }

    @Test
    void clientSniDefaultsAsStunnel() throws ConfigException {
        String base = "[a]\nclient = yes\naccept = 1\n";
        assertEquals("backend.example", syntax(base + "connect = backend.example:443\n").service("a").sniServerName());
        assertEquals("localhost", syntax(base + "connect = 443\n").service("a").sniServerName());
        assertEquals("proxy.example", syntax(base + "connect = 2\nprotocolHost = proxy.example:443\n")
                .service("a").sniServerName());
        assertEquals("named.example", syntax(base + "connect = x:1\nsni = named.example\n").service("a").sniServerName());
        assertEquals("", syntax(base + "connect = x:1\nsni =\n").service("a").sniServerName(), "empty disables SNI");
    }

    @Test
    void typedAccessRejectsOptionsASectionCannotHold() throws ConfigException {
        Configuration c = syntax("pid = /run/x.pid\n[a]\nclient = yes\naccept = 1\nconnect = 2\n");
        assertEquals("/run/x.pid", c.global().string("pid"));
        assertThrows(IllegalArgumentException.class, () -> c.service("a").string("pid"));
        assertThrows(IllegalArgumentException.class, () -> c.service("a").string("nonsense"));
        assertThrows(IllegalArgumentException.class, () -> c.service("a").bool("TIMEOUTidle"));
        assertThrows(IllegalArgumentException.class, () -> c.service("a").integer("client"));
        assertEquals(43200, c.global().integer("TIMEOUTidle"), "the global section holds service defaults too");
    }
}
