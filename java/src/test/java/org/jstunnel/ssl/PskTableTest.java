package org.jstunnel.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PskTableTest {
    private static final byte[] K1 = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] K2 = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    private static PskTable table(String identity) {
        return new PskTable(List.of(new PskTable.Entry("alice", K1), new PskTable.Entry("bob", K2)), identity);
    }

    @Test
    void serverFindsKeysByIdentity() {
        PskTable t = table(null);
        assertArrayEquals(K2, t.find("bob".getBytes(StandardCharsets.US_ASCII)));
        assertNull(t.find("carol".getBytes(StandardCharsets.US_ASCII)));
        assertNull(t.find("Alice".getBytes(StandardCharsets.US_ASCII)), "identities are case-sensitive (strcmp)");
    }

    @Test
    void clientUsesPskIdentityOrTheFirstEntry() {
        assertEquals("alice", table(null).selected().identity());
        assertEquals("bob", table("bob").selected().identity());
        assertThrows(IllegalArgumentException.class, () -> table("carol"));
    }

    @Test
    void clientBlobIsIdentityZeroKey() {
        byte[] blob = table("alice").clientBlob();
        assertEquals(5 + 1 + 16, blob.length);
        assertEquals(0, blob[5]);
        assertEquals("alice", new String(blob, 0, 5, StandardCharsets.US_ASCII));
    }

    @Test
    void theFirstOfTwoEqualIdentitiesWins() {
        PskTable t = new PskTable(List.of(new PskTable.Entry("x", K1), new PskTable.Entry("x", K2)), null);
        assertArrayEquals(K1, t.find("x".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void keysAreNeverPrinted() {
        assertEquals("Entry[alice, 16 bytes]", new PskTable.Entry("alice", K1).toString());
    }
}
