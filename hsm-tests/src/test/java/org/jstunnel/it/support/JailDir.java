package org.jstunnel.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chroot jail for a test: a directory where files are placed at the same absolute path they have
 * outside ({@link #inside}), programs copied with the libraries ldd(1) names.
 */
public final class JailDir {
    private static final Pattern LIB = Pattern.compile("(/\\S+)");
    private final Path root;

    public JailDir(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    /** Where absolute path {@code p} of the jailed process is on the real file system. */
    public Path inside(Path p) {
        return root.resolve(p.toAbsolutePath().toString().substring(1));
    }

    /** Copies {@code file} to the same path inside the jail. */
    public Path copy(Path file) {
        try {
            Path to = inside(file);
            Files.createDirectories(to.getParent());
            Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies {@code program} and every shared library it needs. */
    public void program(Path program) {
        List<Path> files = new ArrayList<>(List.of(program));
        try {
            Process p = new ProcessBuilder("ldd", program.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            for (String line : out.split("\n")) {
                Matcher m = LIB.matcher(line);
                if (m.find()) files.add(Path.of(m.group(1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        files.forEach(this::copy);
    }

    /** A directory inside the jail anyone may write to (sticky, like /tmp), e.g. for a dropped user's pid file. */
    public Path sharedDir(Path p) {
        try {
            Path in = inside(p);
            Files.createDirectories(in);
            Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("rwxrwxrwx"));
            return in;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
