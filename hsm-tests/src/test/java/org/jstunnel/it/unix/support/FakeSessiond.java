package org.jstunnel.it.unix.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.ManagedProcess;
import org.jstunnel.it.support.Timeouts;

/**
 * A small sessiond (stunnel's UDP session cache server) in python: NEW stores (never overwriting,
 * as sessiond 0.7), GET answers OK with the value or ERR, REMOVE deletes; every request is printed
 * ("NEW id length", "GET id hit|miss", "REMOVE id").
 */
public final class FakeSessiond implements AutoCloseable {
    private static final String SCRIPT = """
            import socket, sys, time
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.0.1", 0))
            print("PORT %d" % s.getsockname()[1], flush=True)
            store = {}
            while True:
                data, peer = s.recvfrom(2048)
                if len(data) < 36 or data[0] != 1:
                    continue
                kind, key, value = data[1], data[4:36], data[36:]
                hexid = key.hex().upper()
                if kind == 0:
                    timeout = int.from_bytes(data[2:4], "big")
                    if key not in store or store[key][1] < time.time():
                        store[key] = (value, time.time() + timeout)
                    print("NEW %s %d %d" % (hexid, len(value), timeout), flush=True)
                elif kind == 1:
                    hit = key in store and store[key][1] >= time.time()
                    s.sendto(bytes([1, 0x81 if hit else 0x80, 0, 0]) + key + (store[key][0] if hit else b""), peer)
                    print("GET %s %s" % (hexid, "hit" if hit else "miss"), flush=True)
                elif kind == 2:
                    store.pop(key, None)
                    print("REMOVE %s" % hexid, flush=True)
            """;
    private static final Pattern PORT = Pattern.compile("PORT (\\d+)");

    private final ManagedProcess process;
    private final int port;

    private FakeSessiond(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static FakeSessiond start(Path dir) throws Exception {
        Path script = dir.resolve("sessiond.py");
        Files.writeString(script, SCRIPT);
        ManagedProcess p = ManagedProcess.start("sessiond", dir, List.of("python3", "-u", script.toString()), false);
        Deadline d = Deadline.after(Timeouts.STARTUP);
        while (true) {
            Matcher m = PORT.matcher(p.stdout());
            if (m.find()) return new FakeSessiond(p, Integer.parseInt(m.group(1)));
            if (d.expired() || !p.isAlive()) {
                p.close();
                throw new AssertionError("sessiond did not start\n" + p.diagnostics());
            }
            d.pause();
        }
    }

    public int port() { return port; }

    /** What it was asked so far. */
    public String requests() { return process.stdout(); }

    @Override
    public void close() { process.close(); }
}
