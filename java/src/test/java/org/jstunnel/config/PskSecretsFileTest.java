package org.jstunnel.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** options.c psk_read: the format, the key rules and the messages. */
class PskSecretsFileTest {
    @TempDir
    Path dir;

    private String file(String text, String perms) throws IOException {
        Path f = dir.resolve("psk.txt");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f.toString();
    }

    @Test
    void hexAndAsciiKeysEmptyLinesAndCrlf() throws Exception {
        PskSecretsFile.Result r = PskSecretsFile.read(file(
                "alice:00112233445566778899aabbccddeeff\r\n\nbob:an ASCII key, 21 b.:x\n", "rw-------"));
        assertEquals(2, r.entries().size());
        assertEquals(16, r.entries().get(0).key().length);
        assertTrue(r.entries().get(0).hex());
        assertEquals("bob", r.entries().get(1).identity());
        assertArrayEquals("an ASCII key, 21 b.:x".getBytes(StandardCharsets.US_ASCII), r.entries().get(1).key());
        assertEquals(List.of("PSKsecrets line 1: 16-byte hexadecimal key configured for identity \"alice\"",
                "PSKsecrets line 3: 21-byte ASCII key configured for identity \"bob\""), r.info());
        assertTrue(r.warnings().isEmpty());
    }

    @Test
    void colonsBetweenHexBytesAreAllowed() throws Exception {
        PskSecretsFile.Result r = PskSecretsFile.read(file("a:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff\n", "rw-------"));
        assertEquals(16, r.entries().get(0).key().length);
    }

    @Test
    void aFileOthersMayReadIsUsedWithStunnelsWarning() throws Exception {
        String f = file("a:00112233445566778899aabbccddeeff\n", "rw-r--r--");
        PskSecretsFile.Result r = PskSecretsFile.read(f);
        assertEquals(List.of("Insecure file permissions on " + f), r.warnings());
        assertEquals(1, r.entries().size());
    }

    @Test
    void badFilesAreRefusedWithStunnelsMessages() throws Exception {
        assertDetail("a:0011\n", "PSKsecrets line 1: Key shorter than 16 bytes");
        assertDetail("\nno-colon\n", "PSKsecrets line 2: Not in identity:key format");
        assertDetail("x".repeat(128) + ":00112233445566778899aabbccddeeff\n",
                "PSKsecrets line 1: Identity longer than 128 characters");
        assertDetail("a:" + "k".repeat(513) + "\n", "PSKsecrets line 1: Key longer than 512 bytes");
        BadValueException e = assertThrows(BadValueException.class, () -> PskSecretsFile.read(dir.resolve("none").toString()));
        assertEquals(List.of(dir.resolve("none") + ": No such file or directory (2)"), e.details());
        BadValueException empty = assertThrows(BadValueException.class, () -> PskSecretsFile.read(file("\n\n", "rw-------")));
        assertEquals("Failed to read PSK secrets", empty.reason());
    }

    private void assertDetail(String text, String detail) throws IOException {
        String f = file(text, "rw-------");
        BadValueException e = assertThrows(BadValueException.class, () -> PskSecretsFile.read(f));
        assertEquals("Failed to read PSK secrets", e.reason());
        assertEquals(List.of(detail), e.details());
    }
}
