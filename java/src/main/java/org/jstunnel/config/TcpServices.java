package org.jstunnel.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Port lookup by service name ("imaps"), because stunnel hands the port text to getaddrinfo,
 * which also accepts /etc/services names.
 */
final class TcpServices {
    private static volatile Map<String, Integer> table;

    private TcpServices() {}

    /** @return the TCP port, or -1 if the name is not in /etc/services */
    static int lookup(String name) {
        Integer port = table().get(name);
        return port == null ? -1 : port;
    }

    private static Map<String, Integer> table() {
        Map<String, Integer> t = table;
        if (t == null) {
            t = read(Path.of("/etc/services"));
            table = t;
        }
        return t;
    }

    /** Parses "name port/proto [aliases...] [# comment]" lines; the first tcp entry for a name wins, as in libc. */
    static Map<String, Integer> read(Path file) {
        Map<String, Integer> map = new HashMap<>();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return map; // no services database: only numeric ports resolve, as with an empty one
        }
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) continue;
            int slash = f[1].indexOf('/');
            if (slash < 0 || !f[1].substring(slash + 1).equals("tcp")) continue;
            int port;
            try {
                port = Integer.parseInt(f[1].substring(0, slash));
            } catch (NumberFormatException e) {
                continue;
            }
            if (port < 0 || port > 65535) continue;
            for (int i = 0; i < f.length; i++) {
                if (i != 1) map.putIfAbsent(f[i], port);
            }
        }
        return map;
    }
}
