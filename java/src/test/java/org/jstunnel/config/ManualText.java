package org.jstunnel.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads stunnel(8): src/test/resources/stunnel.8.txt (5.63) and stunnel-5.75.8.txt, copies of the
 * project's specification kept in the repository so the tests need nothing beside it.
 */
final class ManualText {
    private static final Pattern OPTION_LINE = Pattern.compile("^([A-Za-z][A-Za-z0-9]*) = ");
    private static final Pattern CONFIG_LINE = Pattern.compile("^(\\[[^\\]]+\\]|[A-Za-z][A-Za-z0-9]* = .*)$");

    private ManualText() {}

    static final String MANUAL_563 = "stunnel.8.txt";
    static final String MANUAL_575 = "stunnel-5.75.8.txt";

    static List<String> lines() throws IOException {
        return lines(MANUAL_563);
    }

    /** The manual's lines, indentation removed (the 5.75 text indents its examples). */
    static List<String> lines(String manual) throws IOException {
        return Files.readAllLines(TestConfigs.resource(manual), StandardCharsets.UTF_8).stream()
                .map(String::stripLeading).toList();
    }

    /** Lines strictly between the first line equal to {@code from} and the first later line equal to {@code to}. */
    static List<String> between(String from, String to) throws IOException {
        return between(MANUAL_563, from, to);
    }

    static List<String> between(String manual, String from, String to) throws IOException {
        List<String> all = lines(manual);
        int a = all.indexOf(from);
        if (a < 0) throw new AssertionError("manual has no line " + from);
        int b = all.subList(a + 1, all.size()).indexOf(to);
        if (b < 0) throw new AssertionError("manual has no line " + to + " after " + from);
        return all.subList(a + 1, a + 1 + b);
    }

    /** Every NAME in a line starting "NAME = " (option headings and quoted examples). */
    static Set<String> optionNames(List<String> lines) {
        Set<String> names = new LinkedHashSet<>();
        for (String l : lines) {
            Matcher m = OPTION_LINE.matcher(l);
            if (m.find()) names.add(m.group(1));
        }
        return names;
    }

    static Set<String> globalSectionOptions() throws IOException {
        return optionNames(between("GLOBAL OPTIONS", "SERVICE-LEVEL OPTIONS"));
    }

    static Set<String> serviceSectionOptions() throws IOException {
        return optionNames(between("SERVICE-LEVEL OPTIONS", "RETURN VALUE"));
    }

    /**
     * The configurations of the EXAMPLES section: runs of configuration lines, comments and blank
     * lines, split wherever prose (or a shell command) appears.
     */
    static List<String> examples() throws IOException {
        return examples(MANUAL_563);
    }

    static List<String> examples(String manual) throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        for (String l : between(manual, "EXAMPLES", "NOTES")) {
            if (l.startsWith("====")) continue;
            if (CONFIG_LINE.matcher(l).matches() || l.startsWith(";") || l.isBlank()) {
                block.append(l).append('\n');
            } else if (!block.toString().isBlank()) {
                blocks.add(block.toString());
                block.setLength(0);
            } else {
                block.setLength(0);
            }
        }
        if (!block.toString().isBlank()) blocks.add(block.toString());
        return blocks;
    }
}
