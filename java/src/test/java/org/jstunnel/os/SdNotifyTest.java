package org.jstunnel.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** struct sockaddr_un as sd_notify builds it; sending is tested end to end (SystemdTest). */
class SdNotifyTest {
    @Test
    void pathsAreNulTerminatedAbstractNamesStartWithNul() {
        assertArrayEquals(new byte[] {1, 0, '/', 'n', 0}, SdNotify.sockaddr("/n"));
        assertArrayEquals(new byte[] {1, 0, 0, 'n'}, SdNotify.sockaddr("@n"));
        assertNull(SdNotify.sockaddr("/" + "x".repeat(107)));
    }
}
