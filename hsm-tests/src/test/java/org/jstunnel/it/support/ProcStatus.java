package org.jstunnel.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What {@code /proc/PID/status} says about a process and each of its threads: Uid, Gid, Groups lines. */
public final class ProcStatus {
    private ProcStatus() {
    }

    /** The value of {@code field} ("Uid", "Gid", "Groups") in {@code /proc/PID/status}, whitespace-normalized. */
    public static String field(long pid, String field) {
        return field(Path.of("/proc/" + pid + "/status"), field);
    }

    /** The same field of every thread ({@code /proc/PID/task/TID/status}). */
    public static List<String> threadFields(long pid, String field) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    out.add(field(t.resolve("status"), field));
                } catch (UncheckedIOException threadEnded) {
                    // a thread may end between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String field(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).strip().replaceAll("\\s+", " ");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no " + field + " in " + status);
    }

    /** The uid of a user, as {@code id -u NAME} says. */
    public static int uid(String user) {
        return Integer.parseInt(run("id", "-u", user));
    }

    /** The gid of a group, as {@code getent group NAME} says. */
    public static int gid(String group) {
        return Integer.parseInt(run("getent", "group", group).split(":")[2]);
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
