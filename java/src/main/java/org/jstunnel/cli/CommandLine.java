package org.jstunnel.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * stunnel's Unix command line: {@code stunnel [FILE] | -fd N | -help | -version | -sockets | -options}.
 *
 * <p>As stunnel does, only the first argument (and for {@code -fd} the second) is looked at, the rest
 * is ignored; the flags are matched case-insensitively; anything else, including the Windows-only
 * flags ({@code -install}, {@code -quiet}, ...) and unknown flags, is a configuration file name, which
 * then fails {@link #realPath} with "Invalid configuration file name" unless such a file exists.
 */
public final class CommandLine {
    private CommandLine() {}

    /** stunnel's CONFDIR "/stunnel.conf" as Debian builds it. */
    public static final Path DEFAULT_CONFIG = Path.of("/etc/stunnel/stunnel.conf");

    public static Command parse(String... args) throws UsageException {
        if (args == null || args.length == 0) return new Command.Run(DEFAULT_CONFIG);
        String arg1 = args[0];
        String arg2 = args.length > 1 ? args[1] : null;
        if (flag(arg1, "-help")) return new Command.Help();
        if (flag(arg1, "-version")) return new Command.Version();
        if (flag(arg1, "-sockets")) return new Command.Sockets();
        if (flag(arg1, "-options")) return new Command.Options();
        if (flag(arg1, "-fd")) {
            if (arg2 == null) {
                List<LogLine> lines = new ArrayList<>();
                lines.add(LogLine.err("No file descriptor specified"));
                lines.addAll(syntaxLines());
                throw new UsageException("No file descriptor specified", lines);
            }
            Integer fd = strtolInt(arg2);
            if (fd == null) {
                // stunnel finds this out while reading the configuration, so its reading lines surround it
                List<LogLine> lines = new ArrayList<>();
                lines.add(LogLine.info("Initializing inetd mode configuration"));
                lines.add(LogLine.notice("Reading configuration from descriptor " + arg2));
                lines.add(LogLine.err("Invalid file descriptor number"));
                lines.addAll(syntaxLines());
                lines.add(LogLine.err("Configuration failed"));
                lines.add(LogLine.debug("Deallocating temporary section defaults"));
                throw new UsageException("Invalid file descriptor number", lines);
            }
            return new Command.RunFd(fd);
        }
        return new Command.Run(Path.of(arg1));
    }

    /** strcasecmp on ASCII, as stunnel compares its flags. */
    private static boolean flag(String arg, String name) {
        if (arg.length() != name.length()) return false;
        for (int i = 0; i < arg.length(); i++) {
            char a = arg.charAt(i), b = name.charAt(i);
            if (a >= 'A' && a <= 'Z') a = (char) (a + ('a' - 'A'));
            if (a != b) return false;
        }
        return true;
    }

    /**
     * {@code (int) strtol(s, &end, 10)} with stunnel's check (at least one digit, nothing after it):
     * leading white space and a sign are accepted, an out-of-range value saturates to LONG_MIN/MAX
     * and is then truncated to int as C does. Null when stunnel says "Invalid file descriptor number".
     */
    static Integer strtolInt(String s) {
        int i = 0, n = s.length();
        while (i < n && isCSpace(s.charAt(i))) i++;
        int start = i;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int digits = i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        if (i == digits || i != n) return null;
        BigInteger v = new BigInteger(s.substring(start, n).startsWith("+") ? s.substring(start + 1, n) : s.substring(start, n));
        long l;
        if (v.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0) l = Long.MAX_VALUE;
        else if (v.compareTo(BigInteger.valueOf(Long.MIN_VALUE)) < 0) l = Long.MIN_VALUE;
        else l = v.longValue();
        return (int) l;
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /**
     * What stunnel prints after a command-line or configuration-opening error (level NOTICE each):
     * a blank line, "Syntax:", the synopsis and one line per flag. Also used when {@code -fd N} or
     * FILE cannot be opened ("Cannot open configuration file", then these lines).
     */
    public static List<LogLine> syntaxLines() {
        String p = Version.PROGRAM;
        return List.of(
            LogLine.notice(" "),
            LogLine.notice("Syntax:"),
            LogLine.notice(p + " [<filename>] ] -fd <n> | -help | -version | -sockets | -options"),
            LogLine.notice("    <filename>  - use specified config file"),
            LogLine.notice("    -fd <n>     - read the config file from a file descriptor"),
            LogLine.notice("    -help       - get config file help"),
            LogLine.notice("    -version    - display version and defaults"),
            LogLine.notice("    -sockets    - display default socket options"),
            LogLine.notice("    -options    - display supported TLS options"));
    }

    /**
     * The configuration file's real path, as stunnel resolves it with realpath(3) before reading it.
     *
     * @throws UsageException with stunnel's lines {@code Invalid configuration file name "NAME"} and
     *     {@code realpath: <strerror> (<errno>)} when the path cannot be resolved
     */
    public static Path realPath(Path file) throws UsageException {
        String name = file.toString();
        if (name.isEmpty()) throw invalidName(name, "No such file or directory", 2);
        try {
            return file.toRealPath();
        } catch (NoSuchFileException e) {
            throw invalidName(name, "No such file or directory", 2);
        } catch (AccessDeniedException e) {
            throw invalidName(name, "Permission denied", 13);
        } catch (FileSystemException e) {
            String reason = e.getReason() == null ? "Input/output error" : e.getReason();
            if (reason.startsWith("Too many levels of symbolic links")) reason = "Too many levels of symbolic links";
            throw invalidName(name, reason, errno(reason));
        } catch (IOException e) {
            throw invalidName(name, "Input/output error", 5);
        }
    }

    private static UsageException invalidName(String name, String strerror, int errno) {
        String msg = "Invalid configuration file name \"" + name + "\"";
        return new UsageException(msg, List.of(
            LogLine.err(msg),
            LogLine.err("realpath: " + strerror + " (" + errno + ")")));
    }

    /** Linux errno of the strerror texts Java reports from realpath(3). */
    private static int errno(String reason) {
        return switch (reason) {
            case "Too many levels of symbolic links" -> 40;
            case "No such file or directory" -> 2;
            case "Permission denied" -> 13;
            case "Not a directory" -> 20;
            case "File name too long" -> 36;
            default -> 5;
        };
    }
}
