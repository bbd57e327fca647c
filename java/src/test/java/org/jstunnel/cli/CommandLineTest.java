package org.jstunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jstunnel.log.LogLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    /** What stunnel4 5.68 prints after "-fd" with no number (after its banner), "stunnel" → "jstunnel". */
    static final List<String> NO_FD = List.of(
        "[!] No file descriptor specified",
        "[.]  ",
        "[.] Syntax:",
        "[.] jstunnel [<filename>] ] -fd <n> | -help | -version | -sockets | -options",
        "[.]     <filename>  - use specified config file",
        "[.]     -fd <n>     - read the config file from a file descriptor",
        "[.]     -help       - get config file help",
        "[.]     -version    - display version and defaults",
        "[.]     -sockets    - display default socket options",
        "[.]     -options    - display supported TLS options");

    /** What stunnel4 5.68 prints after "-fd abc" (after its banner). */
    static final List<String> BAD_FD = List.of(
        "[ ] Initializing inetd mode configuration",
        "[.] Reading configuration from descriptor abc",
        "[!] Invalid file descriptor number",
        "[.]  ",
        "[.] Syntax:",
        "[.] jstunnel [<filename>] ] -fd <n> | -help | -version | -sockets | -options",
        "[.]     <filename>  - use specified config file",
        "[.]     -fd <n>     - read the config file from a file descriptor",
        "[.]     -help       - get config file help",
        "[.]     -version    - display version and defaults",
        "[.]     -sockets    - display default socket options",
        "[.]     -options    - display supported TLS options",
        "[!] Configuration failed",
        "[ ] Deallocating temporary section defaults");

    @Test
    void noArgumentsRunsTheDefaultFile() throws Exception {
        assertEquals(new Command.Run(Path.of("/etc/stunnel/stunnel.conf")), CommandLine.parse());
        assertEquals(new Command.Run(Path.of("/etc/stunnel/stunnel.conf")), CommandLine.parse(new String[0]));
    }

    @Test
    void fileName() throws Exception {
        assertEquals(new Command.Run(Path.of("my.conf")), CommandLine.parse("my.conf"));
        assertEquals(new Command.Run(Path.of("/etc/x/y.conf")), CommandLine.parse("/etc/x/y.conf"));
        assertEquals(new Command.Run(Path.of("a")), CommandLine.parse("a", "b"));  // the rest is ignored
        assertTrue(CommandLine.parse("").equals(new Command.Run(Path.of(""))));
    }

    @Test
    void informationFlagsAreCaseInsensitive() throws Exception {
        assertEquals(new Command.Help(), CommandLine.parse("-help"));
        assertEquals(new Command.Help(), CommandLine.parse("-HELP"));
        assertEquals(new Command.Version(), CommandLine.parse("-version"));
        assertEquals(new Command.Version(), CommandLine.parse("-Version"));
        assertEquals(new Command.Sockets(), CommandLine.parse("-sockets"));
        assertEquals(new Command.Sockets(), CommandLine.parse("-SOCKETS"));
        assertEquals(new Command.Options(), CommandLine.parse("-options"));
        assertEquals(new Command.Options(), CommandLine.parse("-oPtIoNs", "ignored"));
        for (Command c : List.of(new Command.Help(), new Command.Version(), new Command.Sockets(), new Command.Options()))
            assertTrue(c.isInfo());
        assertFalse(new Command.Run(Path.of("x")).isInfo());
        assertFalse(new Command.RunFd(0).isInfo());
    }

    @Test
    void doubleDashFormsAreFileNames() throws Exception {
        assertEquals(new Command.Run(Path.of("--help")), CommandLine.parse("--help"));
        assertEquals(new Command.Run(Path.of("-h")), CommandLine.parse("-h"));
        assertEquals(new Command.Run(Path.of("-bogus")), CommandLine.parse("-bogus"));
    }

    @Test
    void fd() throws Exception {
        assertEquals(new Command.RunFd(3), CommandLine.parse("-fd", "3"));
        assertEquals(new Command.RunFd(3), CommandLine.parse("-FD", "3"));
        assertEquals(new Command.RunFd(0), CommandLine.parse("-fd", "0", "extra"));
        assertEquals(new Command.RunFd(99), CommandLine.parse("-fd", "99"));   // valid number; opening it fails later
        // strtol: leading white space and a sign are fine
        assertEquals(new Command.RunFd(7), CommandLine.parse("-fd", " 7"));
        assertEquals(new Command.RunFd(7), CommandLine.parse("-fd", "\t+7"));
        assertEquals(new Command.RunFd(-1), CommandLine.parse("-fd", "-1"));
        assertEquals(new Command.RunFd(10), CommandLine.parse("-fd", "010"));  // base 10, not octal
    }

    @Test
    void fdOverflowsAsCDoes() {
        assertEquals(-1, CommandLine.strtolInt("99999999999999999999"));      // LONG_MAX → (int) -1
        assertEquals(0, CommandLine.strtolInt("-99999999999999999999"));      // LONG_MIN → (int) 0
        assertEquals(3, CommandLine.strtolInt("4294967299"));                 // truncated to 32 bits
    }

    @Test
    void fdWithoutNumber() {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("-fd"));
        assertEquals("No file descriptor specified", e.getMessage());
        assertEquals(1, e.exitCode());
        assertEquals(NO_FD, errorForm(e.lines()));
        assertEquals(LogLevel.ERR, e.lines().get(0).level());
    }

    @Test
    void fdNotANumber() {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("-fd", "abc"));
        assertEquals("Invalid file descriptor number", e.getMessage());
        assertEquals(1, e.exitCode());
        assertEquals(BAD_FD, errorForm(e.lines()));
        for (String bad : List.of("", " ", "3x", "x3", "+", "-", "3 ", "0x10", "1.0"))
            assertThrows(UsageException.class, () -> CommandLine.parse("-fd", bad), bad);
    }

    @Test
    void windowsFlagsAreFileNamesAsOnStunnelForUnix() throws Exception {
        for (String f : List.of("-install", "-uninstall", "-start", "-stop", "-reload", "-reopen", "-exit", "-quiet")) {
            Command c = CommandLine.parse(f);
            assertEquals(new Command.Run(Path.of(f)), c);
            UsageException e = assertThrows(UsageException.class, () -> CommandLine.realPath(((Command.Run) c).file()));
            assertEquals(List.of("[!] Invalid configuration file name \"" + f + "\"",
                "[!] realpath: No such file or directory (2)"), errorForm(e.lines()));
            assertEquals(1, e.exitCode());
        }
    }

    @Test
    void realPath(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("s.conf"), "");
        assertEquals(f.toRealPath(), CommandLine.realPath(f));
        Files.createSymbolicLink(dir.resolve("link.conf"), f);
        assertEquals(f.toRealPath(), CommandLine.realPath(dir.resolve("link.conf")));
        assertEquals(dir.toRealPath(), CommandLine.realPath(dir));   // a directory resolves; opening it fails later

        UsageException e = assertThrows(UsageException.class, () -> CommandLine.realPath(Path.of("")));
        assertEquals(List.of("[!] Invalid configuration file name \"\"", "[!] realpath: No such file or directory (2)"),
            errorForm(e.lines()));
        e = assertThrows(UsageException.class, () -> CommandLine.realPath(f.resolve("child")));
        assertEquals(List.of("[!] Invalid configuration file name \"" + f.resolve("child") + "\"",
            "[!] realpath: Not a directory (20)"), errorForm(e.lines()));
        Path loop = dir.resolve("loop");
        Files.createSymbolicLink(loop, loop);
        e = assertThrows(UsageException.class, () -> CommandLine.realPath(loop));
        assertEquals("[!] realpath: Too many levels of symbolic links (40)", errorForm(e.lines()).get(1));
    }

    @Test
    void logLineErrorForm() {
        assertEquals("[*] x", new LogLine(0, "x").errorForm());
        assertEquals("[!] x", new LogLine(3, "x").errorForm());
        assertEquals("[:] x", new LogLine(4, "x").errorForm());
        assertEquals("[.] x", new LogLine(5, "x").errorForm());
        assertEquals("[ ] x", new LogLine(7, "x").errorForm());
        assertEquals("[?] x", new LogLine(9, "x").errorForm());
    }

    /** The same cases against the real stunnel, when it is installed: everything after its banner. */
    @Test
    void sameLinesAsTheRealStunnel() throws Exception {
        Path stunnel = Path.of("/usr/bin/stunnel4");
        org.junit.jupiter.api.Assertions.assertTrue(Files.isExecutable(stunnel), "stunnel4 not installed");
        assertEquals(afterBanner(runStunnel(stunnel, "-fd")), NO_FD);
        assertEquals(afterBanner(runStunnel(stunnel, "-fd", "abc")), BAD_FD);
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.realPath(Path.of("/nonexistent")));
        assertEquals(afterBanner(runStunnel(stunnel, "/nonexistent")), errorForm(e.lines()));
    }

    private static List<String> afterBanner(List<String> stunnelLines) {
        int i = 0;
        while (!stunnelLines.get(i).startsWith("[ ] errno: ")) i++;
        List<String> out = new ArrayList<>();
        for (String l : stunnelLines.subList(i + 1, stunnelLines.size()))
            out.add(l.replace("[.] stunnel [<filename>]", "[.] jstunnel [<filename>]"));
        return out;
    }

    private static List<String> runStunnel(Path stunnel, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(stunnel.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        return out.lines().toList();
    }

    static List<String> errorForm(List<LogLine> lines) {
        return lines.stream().map(LogLine::errorForm).toList();
    }

    @Test
    void usageExceptionIsChecked() {
        assertInstanceOf(Exception.class, new UsageException("m", List.of()));
        assertFalse(RuntimeException.class.isAssignableFrom(UsageException.class));
    }
}
