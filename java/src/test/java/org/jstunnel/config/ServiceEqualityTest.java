package org.jstunnel.config;

import static org.jstunnel.config.TestConfigs.syntax;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** SIGHUP keeps a service whose effective options did not change: equality is by value. */
class ServiceEqualityTest {
    private static ServiceOptions svc(String text) throws ConfigException {
        return syntax(text).service("svc");
    }

    @Test
    void commentsAndLineNumbersDoNotMatter() throws ConfigException {
        ServiceOptions a = svc("[svc]\naccept = 1\nconnect = 2\ncert = c.pem\n");
        ServiceOptions b = svc("; reloaded\n\n[svc]\n  cert = c.pem\nconnect = 2\naccept = 1\n");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void inheritedOrOwnSameValueIsTheSameService() throws ConfigException {
        assertEquals(svc("TIMEOUTidle = 9\n[svc]\naccept = 1\nconnect = 2\n"),
                svc("[svc]\naccept = 1\nconnect = 2\nTIMEOUTidle = 9\n"));
        assertEquals(svc("[svc]\naccept = 1\nconnect = 2\nclient = YES\n"),
                svc("[svc]\naccept = 1\nconnect = 2\nclient = yes\n"));
    }

    @Test
    void anyEffectiveChangeMakesADifferentService() throws ConfigException {
        ServiceOptions base = svc("[svc]\naccept = 1\nconnect = 2\n");
        assertNotEquals(base, svc("[svc]\naccept = 1\nconnect = 3\n"));
        assertNotEquals(base, svc("[svc]\naccept = 1\nconnect = 2\nTIMEOUTidle = 1\n"));
        assertNotEquals(base, svc("debug = info\n[svc]\naccept = 1\nconnect = 2\n"));
        assertNotEquals(base, svc("[svc]\naccept = 1\nconnect = 2\nconnect = 4\n"));
        assertNotEquals(base, syntax("[other]\naccept = 1\nconnect = 2\n").service("other"));
        // the order of connect targets matters (failover = prio)
        assertNotEquals(svc("[svc]\naccept = 1\nconnect = 2\nconnect = 3\n"), svc("[svc]\naccept = 1\nconnect = 3\nconnect = 2\n"));
    }

    @Test
    void globalOptionsCompareByValueToo() throws ConfigException {
        String s = "[svc]\naccept = 1\nconnect = 2\n";
        assertEquals(syntax("debug = 6\n" + s).global(), syntax("; x\ndebug = info\n" + s).global());
        assertNotEquals(syntax("debug = 6\n" + s).global(), syntax("debug = local1.6\n" + s).global());
    }
}
