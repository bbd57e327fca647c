package org.jstunnel.it.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Timeouts;

/**
 * One GET on jstunnel's admin listener with curl (TCP, or {@code --unix-socket}), and the reading
 * of Prometheus text: the sum of the samples of a name whose labels contain every given pair.
 */
record AdminScrape(int status, String body) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    static AdminScrape tcp(int port, String path) {
        return curl(List.of("http://127.0.0.1:" + port + path));
    }

    static AdminScrape unix(Path socket, String path) {
        return curl(List.of("--unix-socket", socket.toString(), "http://localhost" + path));
    }

    private static AdminScrape curl(List<String> target) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.CURL, "-sS", "--max-time", "10", "-w", "\n%{http_code}"));
        cmd.addAll(target);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(Timeouts.PEER_EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("curl did not exit: " + cmd);
            }
            int nl = out.lastIndexOf('\n');
            if (p.exitValue() != 0 || nl < 0) throw new AssertionError("curl failed (" + p.exitValue() + "): " + cmd + "\n" + out);
            return new AdminScrape(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sum of the samples named {@code name} carrying every {@code label="value"} pair given; 0 if none. */
    double value(String name, String... labels) {
        double sum = 0;
        for (String line : body.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(1).equals(name)) continue;
            String set = m.group(2) == null ? "" : m.group(2);
            boolean all = true;
            for (String l : labels) all &= set.contains(l);
            if (all) sum += Double.parseDouble(m.group(3));
        }
        return sum;
    }

    long count(String name, String... labels) {
        return Math.round(value(name, labels));
    }
}
