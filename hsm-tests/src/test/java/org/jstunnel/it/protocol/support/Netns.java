package org.jstunnel.it.protocol.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jstunnel.it.support.Commands;
import org.jstunnel.it.support.ManagedProcess;

/**
 * A network namespace the test creates (needs root): a veth pair with 10.213.N.1 on this side and
 * 10.213.N.2 inside, and a python http.server listening only inside, on 10.213.N.2:8080. SOCKS
 * refuses every loopback target, so a SOCKS test needs a target that is not on this host's
 * loopback: this one. Everything is deleted on close.
 */
public final class Netns implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String name, hostIf;
    private final String address;
    private final ManagedProcess server;

    public Netns(Path dir, String fileName, String content) throws Exception {
        int n = (int) ((ProcessHandle.current().pid() * 7 + SEQ.getAndIncrement()) % 250) + 1;
        name = "jst-socks-" + ProcessHandle.current().pid() + "-" + n;
        hostIf = "vjh" + n + "x" + (ProcessHandle.current().pid() % 10000);
        String nsIf = "vjn" + n + "x" + (ProcessHandle.current().pid() % 10000);
        address = "10.213." + n + ".2";
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve(fileName), content);
        ip("netns", "add", name);
        ip("link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
        ip("link", "set", nsIf, "netns", name);
        ip("addr", "add", "10.213." + n + ".1/30", "dev", hostIf);
        ip("link", "set", hostIf, "up");
        ip("netns", "exec", name, "ip", "addr", "add", address + "/30", "dev", nsIf);
        ip("netns", "exec", name, "ip", "link", "set", nsIf, "up");
        server = ManagedProcess.start("ns-http", root, List.of("ip", "netns", "exec", name, "python3", "-m",
                "http.server", "8080", "--bind", address), false);
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) { // bounded: until the server listens
            String ss = Commands.run(root, List.of("ip", "netns", "exec", name, "ss", "-ltn"));
            if (ss.contains(address + ":8080")) return;
            Thread.sleep(50);
        }
        close();
        throw new AssertionError("http.server did not start in " + name);
    }

    private void ip(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Commands.run(Path.of("/"), cmd);
    }

    /** The backend's address inside the namespace. */
    public String address() { return address; }

    public int port() { return 8080; }

    @Override
    public void close() {
        if (server != null) server.close();
        try {
            ip("netns", "del", name);
        } catch (AssertionError ignored) {
            // already gone
        }
        try {
            ip("link", "del", hostIf);
        } catch (AssertionError ignored) {
            // deleted with the namespace's end of the pair
        }
    }
}
