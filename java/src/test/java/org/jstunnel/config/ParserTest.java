package org.jstunnel.config;

import static org.jstunnel.config.TestConfigs.error;
import static org.jstunnel.config.TestConfigs.run;
import static org.jstunnel.config.TestConfigs.syntax;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line language: comments, whitespace, sections, '=' splitting, BOM, line ends. */
class ParserTest {
    private static final String SVC = "[svc]\nclient = yes\naccept = 1\nconnect = 2\n";

    @Test
    void commentsBlankLinesAndWhitespaceAreIgnored() throws ConfigException {
        Configuration c = syntax("; comment\n# another\n\n   \t  \n  ; indented comment\n"
                + "  [svc]  \n\tclient\t=\tyes  \n  accept=1\nconnect   =   example.com:2   \n");
        ServiceOptions s = c.service("svc");
        assertEquals("yes", s.string("client"));
        assertEquals(List.of(new Address("example.com", 2, null)), s.connect());
    }

    @Test
    void aCommentMarkerAfterAValueIsPartOfTheValue() throws ConfigException {
        // stunnel only recognises comments at the start of a line
        assertEquals("a.pem ; not a comment", syntax(SVC + "cert = a.pem ; not a comment\n").service("svc").string("cert"));
    }

    @Test
    void theValueMayContainEqualsSigns() throws ConfigException {
        assertEquals("pkcs11:token=T;object=O", syntax(SVC + "cert = pkcs11:token=T;object=O\n").service("svc").string("cert"));
    }

    @Test
    void anEmptyValueIsAValue() throws ConfigException {
        ServiceOptions s = syntax(SVC + "cert =\n").service("svc");
        assertTrue(s.isSet("cert"));
        assertEquals("", s.string("cert"));
    }

    @Test
    void sectionNamesAreTakenVerbatimBetweenTheBrackets() throws ConfigException {
        Configuration c = syntax("[ spaced name ]\nclient = yes\naccept = 1\nconnect = 2\n");
        assertEquals(" spaced name ", c.services().get(0).name());
    }

    @Test
    void crIsDroppedAnywhereAndTheLastLineNeedsNoNewline() throws ConfigException {
        ServiceOptions s = syntax("[svc]\r\nclient = y\res\r\naccept = 1\r\nconnect = 2").service("svc");
        assertTrue(s.bool("client"));
        assertEquals(2, s.connect().get(0).port());
    }

    @Test
    void optionNamesAreCaseInsensitive() throws ConfigException {
        ServiceOptions s = syntax("[svc]\nCLIENT = YES\nAcCePt = 1\nconnect = 2\ntimeoutIDLE = 7\n").service("svc");
        assertTrue(s.bool("client"));
        assertEquals(7, s.integer("TIMEOUTidle"));
        assertEquals(7, s.integer("timeoutidle"));
        assertEquals("yes", s.string("Client"), "yes/no values are normalized");
    }

    @Test
    void keywordValuesAreNormalized() throws ConfigException {
        Configuration c = syntax("foreground = QUIET\nlog = Overwrite\n[svc]\nclient = yes\naccept = 1\nconnect = 2\n"
                + "failover = RR\nsslVersionMin = tlsV1.2\nlogId = SEQUENTIAL\noptions = -no_ticket\ndebug = INFO\n");
        assertEquals("quiet", c.global().string("foreground"));
        assertEquals("overwrite", c.global().string("log"));
        ServiceOptions s = c.service("svc");
        assertEquals("rr", s.string("failover"));
        assertEquals("TLSv1.2", s.string("sslVersionMin"));
        assertEquals("sequential", s.string("logId"));
        assertEquals("-NO_TICKET", s.strings("options").get(2));
        assertEquals("info", s.string("debug"));
        assertEquals(6, s.integer("debug"));
    }

    @Test
    void theLineIsEchoedAsWrittenInErrors() {
        assertEquals("test.conf:2: \"   client =  maybe  \": The argument needs to be either 'yes' or 'no'",
                error("[svc]\n   client =  maybe  \n", Strictness.SYNTAX));
    }

    @Test
    void byteOrderMarkIsSkippedOnTheFirstLineOnly() throws ConfigException {
        List<String> log = new ArrayList<>();
        Configuration c = ConfigLoader.load("3", new StringReader("\uFEFFclient = yes\naccept = 1\nconnect = 2\n"
                + "[svc]\n"), null, Strictness.SYNTAX, (level, m) -> log.add(level + " " + m));
        assertTrue(c.service("svc").bool("client"));
        assertEquals(List.of("6 Initializing inetd mode configuration", "5 Reading configuration from descriptor 3",
                "5 UTF-8 byte order mark detected", "6 Initializing service [svc]"), log);
        // a BOM elsewhere is just a character: here it makes an unknown option name
        assertEquals("test.conf:2: \"\uFEFFclient = yes\": Specified option name is not valid here",
                error("[svc]\n\uFEFFclient = yes\n", Strictness.SYNTAX));
    }

    @Test
    void byteOrderMarkAbsenceIsLogged() throws ConfigException {
        List<String> log = new ArrayList<>();
        ConfigLoader.load("3", new StringReader(SVC), null, Strictness.SYNTAX, (level, m) -> log.add(m));
        assertTrue(log.contains("UTF-8 byte order mark not detected"));
    }

    @Test
    void anOptionNeedsAnEqualsSign() {
        assertEquals("test.conf:1: \"client\": No '=' found", error("client\n", Strictness.SYNTAX));
    }

    @Test
    void globalOptionsEndAtTheFirstSection() {
        assertEquals("test.conf:5: \"syslog = no\": Specified option name is not valid here",
                error(SVC + "syslog = no\n", Strictness.SYNTAX));
    }

    @Test
    void aRepeatedSingleOptionReplacesTheEarlierOne() throws ConfigException {
        Configuration c = ConfigLoader.load(TestConfigs.resource("configs/good/overrides.conf"), Strictness.SYNTAX);
        assertEquals(7, c.global().integer("debug"));
        ServiceOptions s = c.service("svc");
        assertEquals("second.pem", s.string("cert"));
        assertEquals(20, s.integer("TIMEOUTidle"));
        assertEquals(List.of(new Address("0.0.0.0", 1000, null), new Address("0.0.0.0", 1001, null)), s.accept(),
                "accept is a list in stunnel 5.63");
    }

    @Test
    void sectionChecksRunWhenTheNextSectionStarts() {
        // the broken first section is reported before the bad line of the second one, as stunnel does
        assertEquals("Service [a]: Each service must define two endpoints",
                error("[a]\naccept = 1\n[b]\nbogus = 1\n", Strictness.SYNTAX));
    }

    @Test
    void windowsAndGuiOptionsAreRejectedInEveryMode() {
        for (Strictness mode : Strictness.values()) {
            assertEquals("test.conf:1: \"iconActive = a.ico\": Specified option name is not valid here "
                    + "(\"iconActive\" is WIN32 GUI only)", error("iconActive = a.ico\n", mode));
        }
    }

    @Test
    void valuesAreValidatedBeforeTheImplementationStatus() {
        assertEquals("test.conf:1: \"RNDbytes = many\": Illegal number of bytes to read from random seed files",
                error("RNDbytes = many\n", Strictness.RUN));
    }

    @Test
    void debugFacilityBelongsToTheGlobalSection() throws ConfigException {
        Configuration c = syntax("debug = LOCAL5.Warning\n" + SVC);
        assertEquals("local5", c.global().logFacility());
        assertEquals(4, c.global().logLevel());
        assertEquals("warning", c.global().string("debug"));
        assertEquals(4, c.service("svc").logLevel(), "services inherit the level, not the facility");
        assertEquals("daemon", syntax(SVC).global().logFacility());
        // stunnel's strtok: empty pieces are skipped, pieces after the level ignored
        assertEquals(7, syntax("debug = .auth..debug.x\n" + SVC).global().logLevel());
        assertEquals("test.conf:1: \"debug = daemon.\": Illegal debug level", error("debug = daemon.\n", Strictness.SYNTAX));
    }

    @Test
    void aMissingFileIsStunnelsRealpathFailure() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(java.nio.file.Path.of("/nonexistent/jstunnel.conf")));
        assertEquals("Invalid configuration file name \"/nonexistent/jstunnel.conf\"", e.getMessage());
        assertEquals(List.of("Invalid configuration file name \"/nonexistent/jstunnel.conf\"",
                "realpath: No such file or directory (2)"), e.logLines());
        assertEquals(0, e.line());
    }

    @Test
    void theMainFileIsNamedByItsRealPath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path real = java.nio.file.Files.writeString(tmp.resolve("real.conf"), "[svc]\nclient = perhaps\n");
        java.nio.file.Path link = java.nio.file.Files.createSymbolicLink(tmp.resolve("link.conf"), real);
        List<String> log = new ArrayList<>();
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(link, Strictness.SYNTAX, (level, m) -> log.add(m)));
        assertEquals(real.toRealPath() + ":2: \"client = perhaps\": The argument needs to be either 'yes' or 'no'",
                e.getMessage());
        assertTrue(log.contains("Reading configuration from file " + real.toRealPath()), log.toString());
    }

    @Test
    void manyErrorsOneMessageTheFirst() {
        ConfigException e = assertThrows(ConfigException.class, () -> run("[svc]\nclient = bad\nfoo = bar\n"));
        assertEquals(2, e.line());
        assertEquals("test.conf", e.file());
        assertFalse(e.getMessage().contains("foo"));
    }
}
