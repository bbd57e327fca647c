package org.jstunnel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * configs/good/*.conf must parse in SYNTAX mode; in RUN mode they must parse too, unless a NAME.run
 * file gives the expected failure. configs/bad/*.conf must fail as NAME.expected says:
 * {@code mode: SYNTAX|RUN}, {@code message: ...}, optional {@code log: ...} lines (default: the message
 * alone). {@code ${FILE}} stands for the file's real path, which stunnel prints.
 */
class CorpusTest {
    private record Expectation(Strictness mode, String message, List<String> log) { }

    @Test
    void corpusIsThere() throws IOException {
        assertTrue(confs("good").size() >= 20, "good corpus");
        assertTrue(confs("bad").size() >= 70, "bad corpus");
        for (Path bad : confs("bad")) assertTrue(Files.exists(sidecar(bad, ".expected")), "expectation for " + bad);
    }

    @TestFactory
    Stream<DynamicTest> goodFilesParseInSyntaxMode() throws IOException {
        return confs("good").stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Configuration c = ConfigLoader.load(f, Strictness.SYNTAX);
            assertFalse(c.services().isEmpty());
            assertEquals(f.toRealPath().toString(), c.sourceName());
        }));
    }

    @TestFactory
    Stream<DynamicTest> goodFilesInRunMode() throws IOException {
        return confs("good").stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Path run = sidecar(f, ".run");
            if (Files.exists(run)) {
                expectFailure(f, read(run));
            } else {
                assertFalse(ConfigLoader.load(f).services().isEmpty());
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> badFilesFailWithStunnelsMessage() throws IOException {
        return confs("bad").stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> expectFailure(f, read(sidecar(f, ".expected")))));
    }

    @TestFactory
    Stream<DynamicTest> badSyntaxFilesAlsoFailInRunMode() throws IOException {
        // RUN checks everything SYNTAX checks: a file SYNTAX rejects can never pass RUN
        return confs("bad").stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> assertThrows(ConfigException.class, () -> ConfigLoader.load(f, Strictness.RUN))));
    }

    private static void expectFailure(Path file, Expectation want) throws IOException {
        String real = file.toRealPath().toString();
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, want.mode()));
        String message = want.message().replace("${FILE}", real);
        assertEquals(message, e.getMessage());
        List<String> log = want.log().isEmpty() ? List.of(message)
                : want.log().stream().map(l -> l.replace("${FILE}", real)).toList();
        assertEquals(log, e.logLines());
        if (message.startsWith(real + ":")) {
            assertEquals(real, e.file());
            String rest = message.substring(real.length() + 1);
            assertEquals(Integer.parseInt(rest.substring(0, rest.indexOf(':'))), e.line());
        } else {
            assertNull(e.file());
            assertEquals(0, e.line());
        }
    }

    private static Expectation read(Path sidecar) throws IOException {
        Strictness mode = null;
        String message = null;
        List<String> log = new ArrayList<>();
        for (String l : Files.readAllLines(sidecar)) {
            if (l.startsWith("mode: ")) mode = Strictness.valueOf(l.substring(6));
            else if (l.startsWith("message: ")) message = l.substring(9);
            else if (l.startsWith("log: ")) log.add(l.substring(5));
            else if (!l.isEmpty()) throw new AssertionError(sidecar + ": unexpected line " + l);
        }
        if (mode == null || message == null) throw new AssertionError(sidecar + ": needs mode and message");
        return new Expectation(mode, message, log);
    }

    static List<Path> confs(String dir) throws IOException {
        try (Stream<Path> s = Files.list(TestConfigs.resource("configs/" + dir))) {
            return s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
    }

    private static Path sidecar(Path conf, String ext) {
        String n = conf.getFileName().toString();
        return conf.resolveSibling(n.substring(0, n.length() - ".conf".length()) + ext);
    }
}
