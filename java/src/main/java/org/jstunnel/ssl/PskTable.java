package org.jstunnel.ssl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A service's PSK identities and keys (stunnel's PSKsecrets, sorted for lookup as psk_sort does) and,
 * in client mode, the identity it presents (PSKidentity, default the file's first).
 */
public final class PskTable {
    /** One {@code IDENTITY:KEY} line. */
    public record Entry(String identity, byte[] key) {
        public Entry {
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public String toString() {
            return "Entry[" + identity + ", " + key.length + " bytes]"; // never the key
        }
    }

    private final List<Entry> entries;
    private final Map<String, Entry> byIdentity = new TreeMap<>(); // strcmp order, as bsearch in psk_find
    private final Entry selected;

    /**
     * @param entries in file order, at least one
     * @param clientIdentity PSKidentity (client mode), or null for the first entry
     * @throws IllegalArgumentException if {@code clientIdentity} has no key
     */
    public PskTable(List<Entry> entries, String clientIdentity) {
        if (entries.isEmpty()) throw new IllegalArgumentException("no PSK entries");
        this.entries = List.copyOf(entries);
        for (Entry e : this.entries) byIdentity.putIfAbsent(e.identity(), e);
        if (clientIdentity == null) {
            selected = this.entries.get(0);
        } else {
            selected = byIdentity.get(clientIdentity);
            if (selected == null) throw new IllegalArgumentException("No key found for the specified PSK identity");
        }
    }

    public int size() { return entries.size(); }

    /** The key for an identity a client presented (its bytes), or null. */
    public byte[] find(byte[] identity) {
        Entry e = byIdentity.get(new String(identity, StandardCharsets.ISO_8859_1));
        return e == null ? null : e.key();
    }

    /** The entry a client presents. */
    public Entry selected() { return selected; }

    /** What the native client callback expects: identity bytes, a 0 byte, the key. */
    byte[] clientBlob() {
        byte[] id = selected.identity().getBytes(StandardCharsets.ISO_8859_1);
        byte[] key = selected.key();
        byte[] out = Arrays.copyOf(id, id.length + 1 + key.length);
        System.arraycopy(key, 0, out, id.length + 1, key.length);
        Arrays.fill(key, (byte) 0);
        return out;
    }
}
