package org.jstunnel.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a configuration the way stunnel's options_file does: line by line, sections closing (and
 * being checked) when the next one starts, {@code include} read in place. One instance per load.
 */
final class ConfigParser {
    static final String NOT_VALID_HERE = "Specified option name is not valid here";

    private final Strictness strictness;
    private final ConfigLog log;
    private final Path includeBase;
    private final EngineRegistry engines = new EngineRegistry();
    private final List<Assignment> global = new ArrayList<>();
    private String facility = LogLevels.DEFAULT_FACILITY;
    private GlobalOptions globalOptions; // built when the global section closes
    private Section current;             // null while in the global section
    private final List<ServiceOptions> services = new ArrayList<>();
    private final List<Origin> serviceHeaders = new ArrayList<>();
    private final Deque<Path> reading = new ArrayDeque<>(); // files being read, for include loops

    /** A [section] being read. */
    private record Section(String name, Origin header, List<Assignment> own) { }

    ConfigParser(Strictness strictness, ConfigLog log, Path includeBase) {
        this.strictness = strictness;
        this.log = log;
        this.includeBase = includeBase;
        log.log(LogLevels.INFO, "Initializing inetd mode configuration");
    }

    /** The main file, already resolved to its real path (which is also its name in messages). */
    Configuration parseFile(Path realPath) throws ConfigException {
        String name = realPath.toString();
        readFile(realPath, name);
        return finish(name);
    }

    /** A configuration handed over as a stream ({@code -fd N}); {@code name} is what messages call it. */
    Configuration parseStream(String name, Reader in) throws ConfigException {
        log.log(LogLevels.NOTICE, "Reading configuration from descriptor " + name);
        List<String> lines;
        try {
            lines = ConfigLines.read(in);
        } catch (IOException e) {
            throw ConfigException.general(List.of("Cannot open configuration file"));
        }
        readLines(name, lines);
        return finish(name);
    }

    private void readFile(Path file, String name) throws ConfigException {
        log.log(LogLevels.NOTICE, "Reading configuration from file " + name);
        List<String> lines;
        try (InputStream in = Files.newInputStream(file);
             Reader r = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPLACE)
                     .onUnmappableCharacter(CodingErrorAction.REPLACE))) {
            lines = ConfigLines.read(r);
        } catch (IOException e) {
            throw ConfigException.general(List.of("Cannot open configuration file"));
        }
        Path key = file.toAbsolutePath().normalize();
        try {
            key = file.toRealPath();
        } catch (IOException e) {
            // read fine a moment ago; keep the absolute path for loop detection
        }
        reading.push(key);
        try {
            readLines(name, lines);
        } finally {
            reading.pop();
        }
    }

    private void readLines(String file, List<String> lines) throws ConfigException {
        for (int i = 0; i < lines.size(); i++) line(file, i + 1, lines.get(i));
    }

    private void line(String file, int number, String raw) throws ConfigException {
        String text = raw;
        if (number == 1) {
            boolean bom = !raw.isEmpty() && raw.charAt(0) == LineSyntax.BOM;
            log.log(LogLevels.NOTICE, bom ? "UTF-8 byte order mark detected" : "UTF-8 byte order mark not detected");
            if (bom) text = raw.substring(1);
        }
        Origin origin = new Origin(file, number, SecretMasker.maskLine(text));
        String t = LineSyntax.trim(text);
        if (t.isEmpty() || t.charAt(0) == '#' || t.charAt(0) == ';') return;
        if (t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']' && t.length() >= 2) {
            startSection(origin, t.substring(1, t.length() - 1));
            return;
        }
        int eq = t.indexOf('=');
        if (eq < 0) throw ConfigException.atLine(origin, "No '=' found");
        option(origin, LineSyntax.trimTrailing(t.substring(0, eq)), LineSyntax.trimLeading(t.substring(eq + 1)));
    }

    private void startSection(Origin header, String name) throws ConfigException {
        closeSection();
        for (int i = 0; i < services.size(); i++) {
            if (services.get(i).name().equals(name)) {
                throw ConfigException.atLine(header,
                        "Service [" + name + "] is already defined at " + serviceHeaders.get(i).where());
            }
        }
        log.log(LogLevels.INFO, "Initializing service [" + name + "]");
        current = new Section(name, header, new ArrayList<>());
    }

    /** options.c init_section(0): the global section or the current service is complete. */
    private void closeSection() throws ConfigException {
        if (current == null) {
            if (globalOptions == null) SectionChecks.global(globalOptions());
            return;
        }
        ServiceOptions s = new ServiceOptions(current.name(), inheritedPlus(current.own()), false);
        SectionChecks.service(s, services, strictness, log);
        services.add(s);
        serviceHeaders.add(current.header());
        current = null;
    }

    private Configuration finish(String name) throws ConfigException {
        boolean inetd = current == null && services.isEmpty();
        if (inetd) {
            SectionChecks.global(globalOptions());
            ServiceOptions s = new ServiceOptions(globalOptions().string("service"), serviceScoped(global), true);
            SectionChecks.service(s, List.of(), strictness, log);
            services.add(s);
        } else {
            closeSection();
        }
        return new Configuration(name, globalOptions(), services, inetd);
    }

    private GlobalOptions globalOptions() {
        if (globalOptions == null) globalOptions = new GlobalOptions(global, facility);
        return globalOptions;
    }

    /** CMD_SET_COPY: a section starts with the global section's service options (except "service"). */
    private List<Assignment> inheritedPlus(List<Assignment> own) {
        List<Assignment> all = new ArrayList<>();
        for (Assignment a : global) {
            if (a.spec().scope() == Scope.SERVICE && a.spec().inherited()) all.add(a);
        }
        all.addAll(own);
        return all;
    }

    private static List<Assignment> serviceScoped(List<Assignment> assignments) {
        return assignments.stream().filter(a -> a.spec().scope() == Scope.SERVICE).toList();
    }

    private void option(Origin at, String name, String value) throws ConfigException {
        boolean inGlobal = current == null;
        OptionSpec spec = OptionTable.find(name);
        // stunnel tries global options only before the first [section], then service options
        if (spec == null || (!inGlobal && spec.scope() == Scope.GLOBAL)) {
            throw ConfigException.atLine(at, NOT_VALID_HERE);
        }
        if (spec.status() == Status.UNSUPPORTED_PLATFORM) {
            throw ConfigException.atLine(at, NOT_VALID_HERE + " (\"" + spec.name() + "\" is " + spec.note() + ")");
        }
        if (spec.type() == ValueType.DIRECTORY) {
            include(at, value);
            return;
        }
        String normalized;
        try {
            normalized = spec.check().normalize(value, inGlobal);
        } catch (BadValueException e) {
            throw ConfigException.atLine(at, e.reason(), e.details());
        }
        if (strictness == Strictness.RUN) {
            if (spec.status() == Status.NOT_IMPLEMENTED) {
                throw ConfigException.atLine(at, "option \"" + spec.name() + "\" is not implemented yet in jstunnel");
            }
            String why = normalized == null ? null : spec.support().unsupportedReason(normalized);
            if (why != null) throw ConfigException.atLine(at, why);
        }
        try {
            // depends on earlier lines; after the RUN check, whose fault is the first one to fix
            engines.check(spec, normalized);
        } catch (BadValueException e) {
            throw ConfigException.atLine(at, e.reason(), e.details());
        }
        engines.record(spec, normalized);
        record(inGlobal ? global : current.own(), spec, normalized, at, inGlobal);
    }

    private void record(List<Assignment> into, OptionSpec spec, String value, Origin at, boolean inGlobal) {
        if (spec.name().equals("debug") && inGlobal && value.indexOf('.') >= 0) {
            // the facility is a global setting; the section keeps only the level (options.c parse_debug_level)
            facility = value.substring(0, value.indexOf('.'));
            value = value.substring(value.indexOf('.') + 1);
        }
        into.add(new Assignment(spec, spec.name(), value, at));
        for (String[] implied : Implications.of(spec.name(), value)) {
            into.add(new Assignment(spec, implied[0], implied[1], at));
        }
    }

    /** stunnel's include_config: every regular file of DIR in name order, read as if it were here. */
    private void include(Origin at, String dir) throws ConfigException {
        String failedFile = at.file() + ":" + at.line() + ": \"" + at.text() + "\": Failed to include a file";
        List<String> names;
        Path directory = includeBase.resolve(dir);
        try {
            if (dir.isEmpty()) throw new java.nio.file.NoSuchFileException(dir); // scandir("") fails
            try (Stream<Path> entries = Files.list(directory)) {
                names = entries.map(p -> p.getFileName().toString()).sorted(ConfigParser::byteOrder).toList();
            }
        } catch (IOException e) {
            throw ConfigException.atLine(at, "Failed to include directory", List.of(Errno.describe("scandir", e)));
        }
        for (String n : names) {
            Path file = directory.resolve(n);
            String shown = dir + "/" + n;
            if (!Files.isRegularFile(file)) {
                log.log(LogLevels.DEBUG, "\"" + shown + "\" is not a file");
                continue;
            }
            if (isBeingRead(file)) {
                throw ConfigException.atLine(at, "Failed to include a file",
                        List.of("Include loop: \"" + shown + "\" is already being read"));
            }
            try {
                readFile(file, shown);
            } catch (ConfigException e) {
                throw e.then(failedFile);
            }
        }
    }

    private boolean isBeingRead(Path file) {
        try {
            return reading.contains(file.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** alphasort in the C locale: unsigned bytes of the UTF-8 names. */
    static int byteOrder(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
