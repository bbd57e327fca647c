package org.jstunnel.it.protocol.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jstunnel.it.support.Commands;
import org.jstunnel.it.support.Ports;
import org.jstunnel.it.support.TestPki;

/**
 * A throw-away PostgreSQL cluster from Debian's postgresql package on 127.0.0.1 (as the postgres user:
 * the server refuses to run as root), with {@code ssl = on} using the test PKI's server certificate,
 * trust authentication for TCP from 127.0.0.1 (with or without TLS). Stopped and deleted on close.
 */
public final class Postgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private final Path data;
    private final int port;

    public Postgres(Path dir, TestPki.Entity server) throws Exception {
        Path home = Files.createDirectories(dir.resolve("pg"));
        data = home.resolve("data");
        Path cert = home.resolve("server.crt"), key = home.resolve("server.key");
        Files.copy(server.certFile(), cert);
        Files.copy(server.keyFile(), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Commands.run(home, List.of("chown", "-R", "postgres:postgres", home.toString()));
        port = Ports.freeLoopbackPort();
        asPostgres(home, BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres");
        Files.writeString(data.resolve("postgresql.conf"), "\nlisten_addresses = '127.0.0.1'\nport = " + port
                + "\nunix_socket_directories = '" + home + "'\nssl = on\nssl_cert_file = '" + cert
                + "'\nssl_key_file = '" + key + "'\n", java.nio.file.StandardOpenOption.APPEND);
        asPostgres(home, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("log").toString(),
                "-w", "-t", "20", "start");
    }

    private static String asPostgres(Path dir, String... cmd) {
        List<String> c = new java.util.ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(List.of(cmd));
        return Commands.run(dir, c);
    }

    public int port() { return port; }

    @Override
    public void close() {
        try {
            asPostgres(data.getParent(), BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
        } catch (AssertionError ignored) {
            // not running
        }
    }
}
