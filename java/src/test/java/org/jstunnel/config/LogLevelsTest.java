package org.jstunnel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogLevelsTest {
    @Test
    void namesAndNumbers() {
        assertEquals(0, LogLevels.parseLevel("emerg"));
        assertEquals(3, LogLevels.parseLevel("ERR"));
        assertEquals(5, LogLevels.parseLevel("notice"));
        assertEquals(7, LogLevels.parseLevel("7"));
        assertEquals(-1, LogLevels.parseLevel("8"));
        assertEquals(-1, LogLevels.parseLevel("05"));
        assertEquals(-1, LogLevels.parseLevel("error"));
        assertEquals(-1, LogLevels.parseLevel(null));
        assertEquals("warning", LogLevels.levelName(4));
        assertThrows(IllegalArgumentException.class, () -> LogLevels.levelName(8));
    }

    @Test
    void facilities() {
        assertEquals("local7", LogLevels.parseFacility("LOCAL7"));
        assertEquals("authpriv", LogLevels.parseFacility("authpriv"));
        assertNull(LogLevels.parseFacility("local8"));
    }
}
