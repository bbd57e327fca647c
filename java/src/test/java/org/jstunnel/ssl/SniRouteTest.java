package org.jstunnel.ssl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** stunnel's matches_wildcard: case-insensitive equality, or a suffix match after a leading '*'. */
class SniRouteTest {
    @Test
    void exactNamesMatchIgnoringCase() {
        assertTrue(SniRoute.matches("www.example.com", "www.example.com"));
        assertTrue(SniRoute.matches("WWW.Example.COM", "www.example.com"));
        assertFalse(SniRoute.matches("www.example.com.evil", "www.example.com"));
        assertFalse(SniRoute.matches("example.com", "www.example.com"));
    }

    @Test
    void aLeadingStarMatchesAnyPrefix() {
        assertTrue(SniRoute.matches("a.example.com", "*.example.com"));
        assertTrue(SniRoute.matches("a.b.example.com", "*.example.com")); // not just one label, as stunnel
        assertTrue(SniRoute.matches(".example.com", "*.example.com"));
        assertFalse(SniRoute.matches("example.com", "*.example.com"));  // pattern longer than the name
        assertFalse(SniRoute.matches("aexample.com", "*.example.com"));
        assertTrue(SniRoute.matches("anything", "*"));
        assertTrue(SniRoute.matches("wwwexample.com", "*example.com"));
    }

    @Test
    void nothingMatchesNull() {
        assertFalse(SniRoute.matches(null, "*"));
        assertFalse(SniRoute.matches("a", null));
    }
}
