package org.jstunnel.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@code ticketKeyFile} (jstunnel extension): HAProxy's {@code tls-ticket-keys} file. One base64 key
 * per line, 48 bytes (16-byte name, AES-128 key, HMAC key of 16 bytes) or 80 bytes (name, AES-256
 * key, 32-byte HMAC key); all lines the same size. The last three lines are the ring and the second
 * to last encrypts (HAProxy's rule: rotate by appending a line and reloading every node), so the
 * ring is previous, current, next. Empty lines and {@code #} comments are skipped.
 */
public final class TicketKeyFile {
    static final int RING = 3;

    /**
     * The ring: {@code count} keys of {@code keyLength} bytes back to back in {@code keys}, in file
     * order; {@code encrypt} is the index of the key that encrypts new tickets.
     */
    public record Ring(byte[] keys, int keyLength, int count, int encrypt, byte[] digest) {
        /** The first 4 bytes of the encrypting key's name in hex: names are public (tickets carry them). */
        public String currentName() {
            return HexFormat.of().formatHex(keys, encrypt * keyLength, encrypt * keyLength + 4);
        }

        public void wipe() { Arrays.fill(keys, (byte) 0); }

        @Override
        public String toString() { return "Ring[" + count + " keys of " + keyLength + " bytes]"; } // never the keys
    }

    /** What reading produced: the ring and the warnings to log. */
    public record Result(Ring ring, List<String> warnings) { }

    private TicketKeyFile() {}

    /** @throws BadValueException "Failed to read ticket keys", the cause as a detail line (never a key) */
    public static Result read(String file) throws BadValueException {
        List<String> warnings = new ArrayList<>();
        Path path = Path.of(file);
        byte[] raw;
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
            // a Kubernetes Secret volume is 0644 by default: warn (as stunnel does for key files), don't refuse
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE))
                warnings.add("Insecure file permissions on " + file);
            raw = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw failed(file + ": No such file or directory (2)");
        } catch (IOException | UnsupportedOperationException e) {
            throw failed(file + ": " + e.getMessage());
        }
        List<byte[]> lines = new ArrayList<>();
        try {
            String[] text = new String(raw, StandardCharsets.US_ASCII).split("\n", -1);
            for (int i = 0; i < text.length; i++) {
                String line = text[i].strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(line);
                } catch (IllegalArgumentException e) {
                    throw failed(file + " line " + (i + 1) + ": not base64");
                }
                if (key.length != 48 && key.length != 80) {
                    Arrays.fill(key, (byte) 0);
                    throw failed(file + " line " + (i + 1) + ": " + key.length + " bytes, not 48 or 80");
                }
                if (!lines.isEmpty() && lines.get(0).length != key.length) {
                    Arrays.fill(key, (byte) 0);
                    throw failed(file + " line " + (i + 1) + ": 48- and 80-byte keys mixed");
                }
                lines.add(key);
            }
            if (lines.isEmpty()) throw failed(file + ": no keys");
            int count = Math.min(RING, lines.size());
            int len = lines.get(0).length;
            byte[] keys = new byte[count * len];
            for (int i = 0; i < count; i++)
                System.arraycopy(lines.get(lines.size() - count + i), 0, keys, i * len, len);
            if (lines.size() < RING)
                warnings.add(file + ": " + lines.size() + " key(s); 3 (previous, current, next) let nodes rotate one by one");
            return new Result(new Ring(keys, len, count, count >= 2 ? count - 2 : 0, sha256(raw)), warnings);
        } finally {
            for (byte[] k : lines) Arrays.fill(k, (byte) 0);
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** The option's value check: the file must read now (it is read again when the service starts). */
    static ValueCheck check() {
        return (v, g) -> {
            read(v).ring().wipe();
            return v;
        };
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BadValueException failed(String detail) {
        return new BadValueException("Failed to read ticket keys", List.of(detail));
    }
}
