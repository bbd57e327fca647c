package org.jstunnel.config;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** Splits text into lines as stunnel's file_getline: '\n' ends a line, every '\r' is dropped. */
final class ConfigLines {
    private ConfigLines() {}

    static List<String> read(Reader in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
            for (int i = 0; i < n; i++) {
                char c = buf[i];
                if (c == '\n') {
                    lines.add(line.toString());
                    line.setLength(0);
                } else if (c != '\r') {
                    line.append(c);
                }
            }
        }
        if (line.length() > 0) lines.add(line.toString()); // a last line without '\n'
        return lines;
    }
}
