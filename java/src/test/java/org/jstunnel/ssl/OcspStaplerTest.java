package org.jstunnel.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OcspStaplerTest {
    @Test
    void fetchesAgainAQuarterOfTheValidityBeforeNextUpdateAtMostFiveMinutes() {
        assertEquals(1000 + 3600 - 300, OcspStapler.refreshTime(1000, 1000 + 3600)); // 1 h: 5 min before
        assertEquals(1000 + 240 - 60, OcspStapler.refreshTime(1000, 1000 + 240));    // 4 min: 1 min before
        assertEquals(Long.MIN_VALUE, OcspStapler.refreshTime(1000, -1));              // no nextUpdate: always due
    }

    @Test
    void stunnelsNamesForStatusesAndReasons() {
        assertEquals("good", OcspResponse.certStatus(0));
        assertEquals("revoked", OcspResponse.certStatus(1));
        assertEquals("keyCompromise", OcspResponse.crlReason(1));
        assertEquals("aACompromise", OcspResponse.crlReason(10));
        assertEquals("(UNKNOWN)", OcspResponse.crlReason(7));
        assertEquals("trylater", OcspResponse.responseStatus(3));
    }
}
