package org.jstunnel.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** stunnel's status_info and signal_name wording for a child's wait status. */
class SpawnStatusTest {
    @Test
    void exitCodesAndSignals() {
        assertEquals("finished with code 0", Spawn.describeStatus(0));
        assertEquals("finished with code 3", Spawn.describeStatus(3 << 8));
        assertEquals("terminated on SIGTERM", Spawn.describeStatus(15));
        assertEquals("terminated on SIGKILL", Spawn.describeStatus(9 | 0x80)); // core dumped bit
        assertEquals("terminated on SIGSTKFLT", Spawn.describeStatus(16));
        assertEquals("signal 40", Spawn.signalName(40));
    }

    @Test
    void errnoText() {
        assertEquals("No such file or directory (2)", Spawn.describe(2));
    }
}
