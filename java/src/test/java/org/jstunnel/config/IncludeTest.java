package org.jstunnel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code include = DIR}: every regular file of DIR, in byte order of names, read as if written in place. */
class IncludeTest {
    @TempDir
    Path tmp;

    private static String service(String name, int port) {
        return "[" + name + "]\nclient = yes\naccept = " + port + "\nconnect = " + (port + 1) + "\n";
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void filesAreReadInByteOrderOfTheirNamesSkippingDirectories() throws Exception {
        write("conf.d/2-two.conf", service("two", 20));
        write("conf.d/10-ten.conf", service("ten", 10));
        write("conf.d/B-upper.conf", service("upper", 30));
        write("conf.d/a-lower.conf", service("lower", 40));
        write("conf.d/.hidden", service("hidden", 50)); // stunnel's scandir has no filter: dot files count
        write("conf.d/subdir/ignored.conf", service("ignored", 60));
        Path main = write("main.conf", "include = " + tmp.resolve("conf.d") + "\n");
        List<String> log = new ArrayList<>();
        Configuration c = ConfigLoader.load(main, Strictness.SYNTAX, (level, m) -> log.add(m));
        assertEquals(List.of("hidden", "ten", "two", "upper", "lower"),
                c.services().stream().map(ServiceOptions::name).toList());
        assertTrue(log.contains("Reading configuration from file " + tmp.resolve("conf.d") + "/10-ten.conf"), log.toString());
        assertTrue(log.contains("\"" + tmp.resolve("conf.d") + "/subdir\" is not a file"), log.toString());
    }

    @Test
    void includedLinesActAsIfWrittenInPlace() throws Exception {
        // the included file sets globals and opens a section; the main file's next lines land in that section
        write("parts/00-global.conf", "TIMEOUTidle = 77\nclient = yes\n");
        write("parts/01-service.conf", "[svc]\naccept = 1\n");
        Path main = write("main.conf", "debug = info\ninclude = " + tmp.resolve("parts") + "\nconnect = 2\n");
        Configuration c = ConfigLoader.load(main, Strictness.SYNTAX);
        ServiceOptions s = c.service("svc");
        assertEquals(77, s.integer("TIMEOUTidle"));
        assertEquals(List.of(new Address("localhost", 2, null)), s.connect());
        assertEquals(tmp.resolve("parts") + "/00-global.conf:1", s.where("TIMEOUTidle"));
        assertEquals(main.toRealPath() + ":3", s.where("connect"));
    }

    @Test
    void includeIsAllowedInsideASection() throws Exception {
        write("svc.d/x.conf", "client = yes\nconnect = 2\n");
        Path main = write("main.conf", "[svc]\naccept = 1\ninclude = " + tmp.resolve("svc.d") + "\n");
        assertTrue(ConfigLoader.load(main, Strictness.SYNTAX).service("svc").bool("client"));
    }

    @Test
    void anErrorInAnIncludedFileNamesThatFileThenTheIncludeLine() throws Exception {
        Path dir = tmp.resolve("bad.d");
        write("bad.d/01.conf", "[svc]\nclient = sometimes\n");
        Path main = write("main.conf", "; top\ninclude = " + dir + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(main, Strictness.SYNTAX));
        String inner = dir + "/01.conf:2: \"client = sometimes\": The argument needs to be either 'yes' or 'no'";
        assertEquals(inner, e.getMessage());
        assertEquals(dir + "/01.conf", e.file());
        assertEquals(2, e.line());
        assertEquals(List.of(inner, main.toRealPath() + ":2: \"include = " + dir + "\": Failed to include a file"),
                e.logLines());
    }

    @Test
    void nestedIncludesReportEveryLevel() throws Exception {
        Path inner = tmp.resolve("inner.d");
        write("inner.d/x.conf", "nonsense = 1\n");
        Path outer = tmp.resolve("outer.d");
        write("outer.d/y.conf", "include = " + inner + "\n");
        Path main = write("main.conf", "include = " + outer + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(main, Strictness.SYNTAX));
        assertEquals(List.of(inner + "/x.conf:1: \"nonsense = 1\": Specified option name is not valid here",
                outer + "/y.conf:1: \"include = " + inner + "\": Failed to include a file",
                main.toRealPath() + ":1: \"include = " + outer + "\": Failed to include a file"), e.logLines());
    }

    @Test
    void anIncludeLoopFailsInsteadOfRecursingForever() throws Exception {
        Path dir = tmp.resolve("loop.d");
        write("loop.d/self.conf", "include = " + dir + "\n");
        Path main = write("main.conf", "include = " + dir + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(main, Strictness.SYNTAX));
        assertEquals(dir + "/self.conf:1: \"include = " + dir + "\": Failed to include a file", e.getMessage());
        assertEquals("Include loop: \"" + dir + "/self.conf\" is already being read", e.logLines().get(0));
    }

    @Test
    void aMissingDirectoryIsStunnelsScandirFailure() throws Exception {
        Path main = write("main.conf", "include = no-such-dir\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(main, Strictness.SYNTAX));
        assertEquals(List.of("scandir: No such file or directory (2)",
                main.toRealPath() + ":1: \"include = no-such-dir\": Failed to include directory"), e.logLines());
    }

    @Test
    void aRelativeDirectoryIsResolvedAgainstTheGivenBaseAndShownAsWritten() throws Exception {
        write("base/rel.d/svc.conf", service("rel", 5));
        Configuration c = ConfigLoader.load("7", new StringReader("include = rel.d\n"), tmp.resolve("base"),
                Strictness.SYNTAX);
        assertEquals("rel.d/svc.conf:3", c.service("rel").where("accept"));
        assertEquals("7", c.sourceName());
    }

    @Test
    void anEmptyDirectoryIncludesNothing() throws Exception {
        Files.createDirectories(tmp.resolve("empty.d"));
        Path main = write("main.conf", "include = " + tmp.resolve("empty.d") + "\n" + service("svc", 1));
        assertEquals(1, ConfigLoader.load(main, Strictness.SYNTAX).services().size());
    }
}
