package org.jstunnel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code foreground = no}: a JVM cannot fork, so the daemon is a second JVM started in its own
 * session ({@code setsid}) with the same command line. The first waits until the second reports
 * that it is accepting connections (exit 0) or has failed (its errors relayed, its exit code
 * returned), as a forking stunnel's parent returns only after the child is set up.
 */
final class Daemonizer {
    static final String CHILD_ENV = "JSTUNNEL_DAEMON_CHILD";
    private static final int READY = 'R';

    private Daemonizer() {}

    static boolean isChild() { return "1".equals(System.getenv(CHILD_ENV)); }

    /** In the parent: start the daemon and wait for its verdict. */
    static int spawn(byte[] configForStdin) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        String java = info.command().orElse(null);
        String[] jvmAndArgs = info.arguments().orElse(null);
        if (java == null || jvmAndArgs == null) {
            System.err.println("[!] Cannot determine the java command line to start the daemon; use foreground = yes");
            return 1;
        }
        List<String> cmd = new ArrayList<>(List.of("setsid", java));
        cmd.addAll(List.of(jvmAndArgs));
        if (configForStdin != null) replaceFdArgument(cmd);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put(CHILD_ENV, "1");
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                if (configForStdin != null) in.write(configForStdin);
            }
            try (InputStream out = p.getInputStream()) {
                int b = out.read();
                if (b == READY) return 0;
            }
            return p.waitFor();
        } catch (IOException e) {
            System.err.println("[!] Cannot start the daemon: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static void replaceFdArgument(List<String> cmd) {
        for (int i = cmd.size() - 2; i >= 0; i--) {
            if (cmd.get(i).equals("-fd")) {
                cmd.set(i + 1, "0");
                return;
            }
        }
    }

    /** In the daemon: tell the parent we are up, then drop the standard descriptors it holds. */
    static void ready() {
        System.out.write(READY);
        System.out.flush();
        System.out.close();
        System.err.close();
        // keep later accidental prints harmless
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    }
}
