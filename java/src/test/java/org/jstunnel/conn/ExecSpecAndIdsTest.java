package org.jstunnel.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** execArgs splitting (options.c arg_alloc) and log ids (log.c log_id). */
class ExecSpecAndIdsTest {
    @Test
    void execArgsAreSplitOnAnyWhitespaceWithoutQuoting() {
        assertEquals(List.of("pppd", "local"), ExecSpec.splitArgs("pppd local"));
        assertEquals(List.of("a", "b", "c"), ExecSpec.splitArgs("  a\t b  \tc "));
        assertEquals(List.of("sh", "-c", "\"echo", "hi\""), ExecSpec.splitArgs("sh -c \"echo hi\""));
        assertEquals(List.of(), ExecSpec.splitArgs("   "));
    }

    @Test
    void logIdTypes() {
        assertEquals("42", ConnectionIds.of("sequential", 42));
        assertEquals("42", ConnectionIds.of(null, 42));
        assertEquals(Long.toString(ProcessHandle.current().pid()), ConnectionIds.of("process", 42));
        assertEquals(Long.toString(Thread.currentThread().threadId()), ConnectionIds.of("thread", 42));
        String a = ConnectionIds.of("unique", 1), b = ConnectionIds.of("unique", 1);
        assertTrue(a.matches("[0-9a-zA-Z]{22}"), a);
        assertNotEquals(a, b);
    }

    @Test
    void sequenceNumbersIncrease() {
        long first = ConnectionIds.nextSequence();
        assertEquals(first + 1, ConnectionIds.nextSequence());
    }
}
