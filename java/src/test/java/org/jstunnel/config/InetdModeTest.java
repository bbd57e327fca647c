package org.jstunnel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** No [section]: the global section's service options form the one service. */
class InetdModeTest {
    @Test
    void theGlobalSectionIsTheService() throws ConfigException {
        Configuration c = ConfigLoader.load(TestConfigs.resource("configs/good/inetd-connect.conf"));
        assertTrue(c.inetdMode());
        assertEquals(1, c.services().size());
        ServiceOptions s = c.services().get(0);
        assertTrue(s.isInetd());
        assertEquals("imaps", s.name());
        assertEquals("imaps", s.string("service"));
        assertEquals(List.of(new Address("127.0.0.1", 143, null)), s.connect());
        assertTrue(s.accept().isEmpty());
        assertEquals(60, s.integer("TIMEOUTidle"));
        assertEquals("/etc/jstunnel/imaps.pem", s.string("cert"));
        assertEquals("imaps", c.global().string("service"));
    }

    @Test
    void sectionsMeanDaemonMode() throws ConfigException {
        Configuration c = TestConfigs.syntax("connect = 2\n[svc]\naccept = 1\n");
        assertFalse(c.inetdMode());
        assertFalse(c.services().get(0).isInetd());
        assertEquals("stunnel", c.global().string("service"));
    }

    @Test
    void inetdNeedsExactlyOneEndpoint() {
        assertEquals("Inetd mode: Inetd mode must define one endpoint",
                TestConfigs.error("cert = c.pem\nconnect = 1\nexec = /bin/cat\n", Strictness.SYNTAX));
    }
}
