package org.jstunnel.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code output = FILE} with {@code log = append | overwrite}; reopened on SIGUSR1 for rotation. */
final class FileSink implements LogSink {
    private final Path path;
    private final boolean append;
    private OutputStream out;

    FileSink(Path path, boolean append) throws IOException {
        this.path = path;
        this.append = append;
        this.out = open();
    }

    private OutputStream open() throws IOException {
        return append
            ? Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)
            : Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    @Override
    public synchronized void write(int level, String line, String id, String text) {
        if (out == null) return;
        try {
            // one write per line: readers (tail -f, fail2ban) never see half a line
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // nowhere better to report a failing log file than stderr
            System.err.println("jstunnel: cannot write log file " + path + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void reopen() {
        close();
        try {
            out = open();
        } catch (IOException e) {
            System.err.println("jstunnel: cannot reopen log file " + path + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) return;
        try { out.close(); } catch (IOException ignored) { /* closing: nothing left to lose */ }
        out = null;
    }
}
