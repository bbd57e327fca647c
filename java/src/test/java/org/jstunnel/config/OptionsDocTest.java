package org.jstunnel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/options.md is committed content and must list every option exactly as the table has it. */
class OptionsDocTest {
    /** Under Maven the working directory is java/, so docs/ is beside it; from the repository root it is below. */
    private static final Path DOC = Files.isDirectory(Path.of("docs")) && !Files.isDirectory(Path.of("src"))
            ? Path.of("docs", "options.md") : Path.of("..", "docs", "options.md");

    @Test
    void docListsEveryOption() throws IOException {
        String doc = Files.readString(DOC);
        for (OptionSpec s : OptionTable.all()) {
            assertTrue(doc.contains("| `" + s.name() + "`"), "docs/options.md lacks " + s.name());
        }
    }

    @Test
    void docMatchesTheTable() throws IOException {
        String rendered = OptionsDoc.render();
        if (Boolean.getBoolean("jstunnel.writeDocs")) Files.writeString(DOC, rendered); // regenerate on request
        assertEquals(rendered, Files.readString(DOC), "regenerate with -Djstunnel.writeDocs=true");
    }
}
