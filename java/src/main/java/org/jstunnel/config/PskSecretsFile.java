package org.jstunnel.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * stunnel's PSKsecrets file (options.c psk_read): one {@code IDENTITY:KEY} per line, empty lines
 * skipped. The identity is everything before the first ':' (at most 127 characters); the key is
 * hexadecimal (OPENSSL_hexstr2buf, colons allowed between bytes) or else taken as ASCII, and must be
 * 16 to 512 bytes long. A file others may read or write only gets a warning, as in stunnel.
 */
public final class PskSecretsFile {
    static final int PSK_MAX_IDENTITY_LEN = 128; // with the trailing '\0'
    static final int PSK_MAX_PSK_LEN = 512;

    /** One line: identity, key, and how stunnel describes it when loading. */
    public record Entry(String identity, byte[] key, boolean hex, int line) {
        @Override
        public String toString() {
            return "Entry[" + identity + ", " + key.length + " bytes]"; // never the key
        }
    }

    /** What reading produced: the entries, and the warning and info lines stunnel logs on the way. */
    public record Result(List<Entry> entries, List<String> warnings, List<String> info) { }

    private PskSecretsFile() {}

    /** @throws BadValueException "Failed to read PSK secrets", with stunnel's error lines as details */
    public static Result read(String file) throws BadValueException {
        List<String> warnings = new ArrayList<>();
        Path path = Path.of(file);
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
            // stunnel's file_permissions: a warning, and the file is used (a config stunnel runs must run)
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE)
                    || p.contains(PosixFilePermission.OTHERS_EXECUTE))
                warnings.add("Insecure file permissions on " + file);
        } catch (NoSuchFileException e) {
            throw failed(file + ": No such file or directory (2)");
        } catch (IOException | UnsupportedOperationException e) {
            throw failed(file + ": " + e.getMessage());
        }
        byte[] raw;
        try {
            raw = Files.readAllBytes(path);
        } catch (IOException e) {
            throw failed("Cannot open PSKsecrets file");
        }
        List<Entry> entries = new ArrayList<>();
        List<String> info = new ArrayList<>();
        String[] lines = new String(raw, StandardCharsets.ISO_8859_1).split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) n--; // the final newline ends the last line
        for (int i = 0; i < n; i++) {
            int number = i + 1;
            String line = lines[i];
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) continue;
            int colon = line.indexOf(':');
            if (colon < 0) throw failed("PSKsecrets line " + number + ": Not in identity:key format");
            String identity = line.substring(0, colon);
            String keyText = line.substring(colon + 1);
            if (identity.length() + 1 > PSK_MAX_IDENTITY_LEN)
                throw failed("PSKsecrets line " + number + ": Identity longer than " + PSK_MAX_IDENTITY_LEN + " characters");
            byte[] key = ValueChecks.hexToBytes(keyText);
            boolean hex = key != null;
            if (!hex) key = keyText.getBytes(StandardCharsets.ISO_8859_1);
            info.add("PSKsecrets line " + number + ": " + key.length + "-byte " + (hex ? "hexadecimal" : "ASCII")
                + " key configured for identity \"" + identity + "\"");
            if (key.length > PSK_MAX_PSK_LEN) {
                Arrays.fill(key, (byte) 0);
                throw failed("PSKsecrets line " + number + ": Key longer than " + PSK_MAX_PSK_LEN + " bytes");
            }
            if (key.length < 16) { // shorter keys are unlikely to have sufficient entropy
                Arrays.fill(key, (byte) 0);
                throw failed("PSKsecrets line " + number + ": Key shorter than 16 bytes");
            }
            entries.add(new Entry(identity, key, hex, number));
        }
        if (entries.isEmpty()) throw new BadValueException("Failed to read PSK secrets"); // psk_read returned NULL
        return new Result(List.copyOf(entries), List.copyOf(warnings), List.copyOf(info));
    }

    /** The option's value check: the file must read as stunnel's psk_read reads it. */
    static ValueCheck check() {
        return (v, g) -> {
            read(v);
            return v;
        };
    }

    private static BadValueException failed(String detail) {
        return new BadValueException("Failed to read PSK secrets", List.of(detail));
    }
}
