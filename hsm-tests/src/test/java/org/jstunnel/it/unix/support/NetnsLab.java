package org.jstunnel.it.unix.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jstunnel.it.support.Commands;

/**
 * Three network namespaces the test builds and removes (root): a client (10.201.1.2), the tunnel
 * (10.201.1.1 towards the client, 10.201.2.1 towards the backend) and a backend (10.201.2.2, and
 * 10.201.3.9, the address clients ask for). The tunnel's namespace routes, delivers locally what
 * comes back from the backend side (policy routing: what transparent source needs) and REDIRECTs
 * client connections for 10.201.3.9:8443 and :8445 to its own ports 4444 and 4445 (iptables nat).
 * The addresses exist only inside these namespaces.
 */
public final class NetnsLab implements AutoCloseable {
    public static final String CLIENT_IP = "10.201.1.2", TUNNEL_IP = "10.201.1.1", TUNNEL_BACK_IP = "10.201.2.1";
    public static final String BACKEND_IP = "10.201.2.2", ORIGINAL_IP = "10.201.3.9";

    private static final String SCRIPT = """
            #!/bin/sh
            set -e
            P=$2; T=${P}t; C=${P}c; B=${P}b
            if [ "$1" = down ]; then
              for n in $T $C $B; do ip netns del $n 2>/dev/null || true; done
              exit 0
            fi
            ip netns add $T; ip netns add $C; ip netns add $B
            ip link add ${P}tc type veth peer name ${P}ct
            ip link add ${P}tb type veth peer name ${P}bt
            ip link set ${P}tc netns $T; ip link set ${P}ct netns $C
            ip link set ${P}tb netns $T; ip link set ${P}bt netns $B
            ip -n $T addr add 10.201.1.1/24 dev ${P}tc; ip -n $C addr add 10.201.1.2/24 dev ${P}ct
            ip -n $T addr add 10.201.2.1/24 dev ${P}tb; ip -n $B addr add 10.201.2.2/24 dev ${P}bt
            ip -n $B addr add 10.201.3.9/32 dev ${P}bt
            for n in $T $C $B; do ip -n $n link set lo up; done
            ip -n $T link set ${P}tc up; ip -n $T link set ${P}tb up
            ip -n $C link set ${P}ct up; ip -n $B link set ${P}bt up
            ip -n $C route add default via 10.201.1.1; ip -n $B route add default via 10.201.2.1
            ip -n $T route add 10.201.3.9/32 via 10.201.2.2
            ip netns exec $T sysctl -qw net.ipv4.ip_forward=1
            ip -n $T rule add iif ${P}tb lookup 100
            ip -n $T route add local 0.0.0.0/0 dev lo table 100
            for p in 8443:4444 8445:4445; do
              ip netns exec $T iptables -t nat -A PREROUTING -i ${P}tc -p tcp -d 10.201.3.9 \\
                --dport ${p%:*} -j REDIRECT --to-ports ${p#*:}
            done
            """;

    private final Path dir;
    private final Path script;
    private final String prefix;

    private NetnsLab(Path dir, Path script, String prefix) {
        this.dir = dir;
        this.script = script;
        this.prefix = prefix;
    }

    public static NetnsLab create(Path dir) {
        String prefix = "jl" + ThreadLocalRandom.current().nextInt(10000, 99999); // short: interface names <= 15
        try {
            Path script = dir.resolve("netns-lab.sh");
            Files.writeString(script, SCRIPT);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            NetnsLab lab = new NetnsLab(dir, script, prefix);
            try {
                Commands.run(dir, List.of(script.toString(), "up", prefix));
            } catch (RuntimeException | Error e) {
                lab.close();
                throw e;
            }
            return lab;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String tunnel() { return prefix + "t"; }
    public String client() { return prefix + "c"; }
    public String backend() { return prefix + "b"; }

    /** A launcher script that runs a program (with its arguments) in namespace {@code ns}, keeping its pid. */
    public Path launcherIn(String ns, Path binary) {
        try {
            Path l = dir.resolve("in-" + ns + "-" + binary.getFileName() + ".sh");
            Files.writeString(l, "#!/bin/sh\nexec ip netns exec " + ns + " '" + binary + "' \"$@\"\n");
            Files.setPosixFilePermissions(l, PosixFilePermissions.fromString("rwxr-xr-x"));
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line that runs {@code command} in namespace {@code ns}. */
    public static List<String> in(String ns, List<String> command) {
        List<String> c = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(command);
        return c;
    }

    @Override
    public void close() {
        Commands.run(dir, List.of(script.toString(), "down", prefix));
    }
}
