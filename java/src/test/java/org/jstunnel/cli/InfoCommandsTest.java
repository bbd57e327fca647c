package org.jstunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jstunnel.config.OptionTable;
import org.jstunnel.ssl.SslOptionNames;
import org.junit.jupiter.api.Test;

class InfoCommandsTest {

    /** an "option = value" line: the name left-aligned in 22 columns, as stunnel's "%-22s = %s" */
    private static final Pattern OPTION_LINE = Pattern.compile("^[A-Za-z0-9]{1,22} {0,21} = \\S.*$");

    /**
     * stunnel4 5.68's -help after its banner, less its CAengine line (stunnel 5.64+, not in the 5.63
     * manual). Empty lines stand for stunnel's " " lines (text blocks drop trailing blanks).
     */
    static final String STUNNEL_HELP = """
        Global options:
        chroot                 = directory to chroot stunnel process
        compression            = compression type
        EGD                    = path to Entropy Gathering Daemon socket
        engine                 = auto|engine_id
        engineCtrl             = cmd[:arg]
        engineDefault          = TASK_LIST
        foreground             = yes|quiet|no foreground mode (don't fork, log to stderr)
        log                    = append|overwrite log file
        output                 = file to append log messages
        pid                    = pid file
        RNDbytes               = bytes to read from random seed files
        RNDfile                = path to file with random seed data
        RNDoverwrite           = yes|no overwrite seed datafiles with new random data
        setEnv                 = name=value of an environment variable
        syslog                 = yes|no send logging messages to syslog

        Service-level options:
        accept                 = [host:]port accept connections on specified host:port
        CAengine               = engine-specific CA certificate identifier for 'verify' option
        CApath                 = CA certificate directory for 'verify' option
        CAfile                 = CA certificate file for 'verify' option
        CAstore                = URI to store of CA certificates
        cert                   = certificate chain
        checkEmail             = peer certificate email address
        checkHost              = peer certificate host name pattern
        checkIP                = peer certificate IP address
        ciphers                = permitted ciphers for TLS 1.2 or older
        ciphersuites           = permitted ciphersuites for TLS 1.3
        client                 = yes|no client mode (remote service uses TLS)
        config                 = command[:parameter] to execute
        connect                = [host:]port to connect
        CRLpath                = CRL directory
        CRLfile                = CRL file
        curves                 = ECDH curve names
        debug                  = [facility].level (e.g. daemon.info)
        delay                  = yes|no delay DNS lookup for 'connect' option
        engineId               = ID of engine to read the key from
        engineNum              = number of engine to read the key from
        exec                   = file execute local inetd-type program
        execArgs               = arguments for 'exec' (including $0)
        failover               = rr|prio failover strategy
        ident                  = username for IDENT (RFC 1413) checking
        include                = directory with configuration file snippets
        key                    = certificate private key
        libwrap                = yes|no use /etc/hosts.allow and /etc/hosts.deny
        local                  = IP address to be used as source for remote connections
        logId                  = connection identifier type
        OCSP                   = OCSP responder URL
        OCSPaia                = yes|no check the AIA responders from certificates
        OCSPflag               = OCSP responder flags
        OCSPnonce              = yes|no send and verify the OCSP nonce extension
        OCSPrequire            = yes|no require a conclusive OCSP response
        options                = TLS option to set/reset
        protocol               = protocol to negotiate before TLS initialization
                                 currently supported: cifs, connect, imap,
                                     nntp, pgsql, pop3, proxy, smtp, socks
        protocolAuthentication = authentication type for protocol negotiations
        protocolDomain         = domain for protocol negotiations
        protocolHeader         = custom header for protocol negotiations
        protocolHost           = host:port for protocol negotiations
        protocolPassword       = password for protocol negotiations
        protocolUsername       = username for protocol negotiations
        PSKidentity            = identity for PSK authentication
        PSKsecrets             = secrets for PSK authentication
        pty                    = yes|no allocate pseudo terminal for 'exec' option
        redirect               = [host:]port to redirect on authentication failures
        renegotiation          = yes|no support renegotiation
        requireCert            = yes|no require client certificate
        reset                  = yes|no send TCP RST on error
        retry                  = yes|no retry connect+exec section
        securityLevel          = set the security level
        service                = service name
        setgid                 = groupname for setgid()
        setuid                 = username for setuid()
        sessionCacheSize       = session cache size
        sessionCacheTimeout    = session cache timeout (in seconds)
        sessionResume          = yes|no enable session resumption
        sessiond               = [host:]port use sessiond at host:port
        sni                    = primary_service:host_name for an SNI virtual service
        socket                 = a|l|r:option=value[:value]
                                 set an option on accept/local/remote socket
        sslVersion             = all|SSLv3|TLSv1|TLSv1.1|TLSv1.2|TLSv1.3 TLS version
        sslVersionMax          = all|SSLv3|TLSv1|TLSv1.1|TLSv1.2|TLSv1.3 TLS version
        sslVersionMin          = all|SSLv3|TLSv1|TLSv1.1|TLSv1.2|TLSv1.3 TLS version
        stack                  = thread stack size (in bytes)
        ticketKeySecret        = secret key for encryption/decryption TLSv1.3 tickets
        ticketMacSecret        = key for HMAC operations on TLSv1.3 tickets
        TIMEOUTbusy            = seconds to wait for expected data
        TIMEOUTclose           = seconds to wait for close_notify
        TIMEOUTconnect         = seconds to connect remote host
        TIMEOUTidle            = seconds to keep an idle connection
        TIMEOUTocsp            = seconds to connect OCSP responder
        transparent            = none|source|destination|both transparent proxy mode
        verify                 = level of peer certificate verification
        verifyChain            = yes|no verify certificate chain
        verifyPeer             = yes|no verify peer certificate
        """;

    static List<String> lines(String textBlock) {
        List<String> out = new ArrayList<>();
        for (String l : textBlock.split("\n", -1)) out.add(l.isEmpty() ? " " : l);
        if (out.get(out.size() - 1).equals(" ")) out.remove(out.size() - 1);  // after the last newline
        return out;
    }

    private static List<String> capture(Command c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(0, InfoCommands.run(c, err));
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(s.endsWith("\n"));
        assertTrue(!s.contains("\r"));
        return s.lines().toList();
    }

    private static void assertBanner(List<String> out) {
        assertEquals("Initializing inetd mode configuration", out.get(0));
        assertEquals("jstunnel 0.1.0 on " + Version.host() + " platform", out.get(1));
        assertTrue(out.get(1).matches("jstunnel \\S+ on \\S+-\\S+-\\S+ platform"), out.get(1));
        assertTrue(out.get(2).matches("Compiled/running with OpenSSL 3\\.\\d+\\.\\d+.*"), out.get(2));
        assertTrue(out.get(3).matches("Threading:VIRTUAL Sockets:NIO,IPv[46] TLS:ENGINE,(FIPS,)?OCSP,PSK,SNI"), out.get(3));
        assertEquals(" ", out.get(4));
    }

    @Test
    void help() {
        List<String> out = capture(new Command.Help());
        assertBanner(out);
        List<String> body = out.subList(4, out.size());
        assertEquals(body, InfoCommands.helpLines());
        // the same lines as stunnel 5.68, but for 5.75's provider options and the 5.63 manual's sni wording
        List<String> ours = new ArrayList<>();
        for (String l : body) {
            if (l.startsWith("provider") || l.startsWith("fips ")) continue; // fips: only with a FIPS provider
            if (l.startsWith("adminListen ") || l.startsWith("pkcs11")) continue; // jstunnel extensions
            ours.add(l.replace("master_service:host_name", "primary_service:host_name"));
        }
        List<String> expected = new ArrayList<>(List.of(" "));
        expected.addAll(lines(STUNNEL_HELP));
        assertEquals(expected, ours);
        for (String l : body)
            assertTrue(l.equals(" ") || l.endsWith("options:") || OPTION_LINE.matcher(l).matches()
                || l.startsWith(" ".repeat(25)), l);
    }

    @Test
    void helpListsEveryNonWindowsOption() {
        List<String> names = new ArrayList<>();
        for (String l : InfoCommands.helpLines())
            if (OPTION_LINE.matcher(l).matches()) names.add(l.substring(0, l.indexOf(' ')));
        List<String> expected = new ArrayList<>();
        OptionTable.all().forEach(o -> {
            if (o.status() != org.jstunnel.config.Status.UNSUPPORTED_PLATFORM && !OptionTable.isExtension(o)
                    && (InfoCommands.fipsAvailable() || !o.name().equals("fips")))
                expected.add(o.name());
        });
        assertEquals(expected, names);
    }

    @Test
    void version() {
        List<String> out = capture(new Command.Version());
        assertBanner(out);
        List<String> body = out.subList(4, out.size());
        assertEquals(body, InfoCommands.versionLines());
        assertEquals(" ", body.get(0));
        assertEquals("Global options:", body.get(1));
        int service = body.indexOf("Service-level options:");
        assertEquals(" ", body.get(service - 1));
        for (String l : body)
            assertTrue(l.equals(" ") || l.endsWith("options:") || OPTION_LINE.matcher(l).matches(), l);
        // the names stunnel -version prints, in its order (an option jstunnel has no default for is left out)
        List<String> names = new ArrayList<>();
        for (String l : body) if (OPTION_LINE.matcher(l).matches()) names.add(l.substring(0, l.indexOf(' ')));
        List<String> stunnelOrder = new ArrayList<>(InfoCommands.VERSION_OPTIONS);
        stunnelOrder.add(stunnelOrder.indexOf("options") + 1, "options");
        List<String> kept = new ArrayList<>(stunnelOrder);
        kept.retainAll(names);
        assertEquals(kept, names);
        // lines that are the same as stunnel 5.68's where jstunnel's defaults are stunnel's
        for (String l : List.of(
                "RNDbytes               = 1024",
                "RNDoverwrite           = yes",
                "ciphers                = HIGH:!aNULL:!SSLv2:!DH:!kDHEPSK",
                "curves                 = X25519:P-256:X448:P-521:P-384",
                "debug                  = daemon.notice",
                "logId                  = sequential",
                "options                = NO_SSLv2",
                "options                = NO_SSLv3",
                "securityLevel          = 2",
                "sessionCacheSize       = 1000",
                "sessionCacheTimeout    = 300 seconds",
                "stack                  = 65536 bytes",
                "TIMEOUTbusy            = 300 seconds",
                "TIMEOUTclose           = 60 seconds",
                "TIMEOUTconnect         = 10 seconds",
                "TIMEOUTidle            = 43200 seconds",
                "verify                 = none"))
            assertTrue(body.contains(l), l);
        assertTrue(body.stream().anyMatch(l -> l.matches("ciphersuites {11}= TLS_\\S+ \\(with TLSv1\\.3\\)")));
        assertTrue(body.indexOf("options                = NO_SSLv2") < body.indexOf("options                = NO_SSLv3"));
        assertTrue(body.indexOf("RNDoverwrite           = yes") < service);
        assertTrue(body.indexOf("verify                 = none") == body.size() - 1);
    }

    @Test
    void options() {
        List<String> out = capture(new Command.Options());
        assertBanner(out);
        List<String> body = out.subList(4, out.size());
        List<String> expected = new ArrayList<>(List.of(" ", "Supported TLS options:"));
        for (String n : SslOptionNames.all().keySet()) expected.add("options = " + n);
        assertEquals(expected, body);
        assertEquals(55, body.size());
        assertEquals("options = ALL", body.get(2));
        assertEquals("options = TLS_ROLLBACK_BUG", body.get(54));
    }

    @Test
    void sockets() {
        List<String> out = capture(new Command.Sockets());
        assertBanner(out);
        List<String> body = out.subList(4, out.size());
        assertEquals(" ", body.get(0));
        assertEquals("Socket option defaults:", body.get(1));
        assertEquals("    Option Name         |  Accept  |   Local  |  Remote  |OS default", body.get(2));
        assertEquals("    --------------------+----------+----------+----------+----------", body.get(3));
        List<String> rows = body.subList(4, body.size());
        assertEquals(SocketDefaults.names().size(), rows.size());
        Pattern row = Pattern.compile("^    [A-Z0-9_]+ *\\|.{10}\\|.{10}\\|.{10}\\|.{10}$");
        for (int i = 0; i < rows.size(); i++) {
            assertTrue(row.matcher(rows.get(i)).matches(), rows.get(i));
            assertEquals(String.format("    %-20s|", SocketDefaults.names().get(i)), rows.get(i).substring(0, 25));
        }
        assertEquals(List.of("SO_DEBUG", "SO_DONTROUTE", "SO_KEEPALIVE", "SO_LINGER", "SO_OOBINLINE", "SO_RCVBUF",
            "SO_SNDBUF", "SO_RCVLOWAT", "SO_SNDLOWAT", "SO_RCVTIMEO", "SO_SNDTIMEO", "SO_REUSEADDR", "SO_BINDTODEVICE",
            "TCP_KEEPCNT", "TCP_KEEPIDLE", "TCP_KEEPINTVL", "IP_TOS", "IP_TTL", "TCP_NODELAY", "IP_FREEBIND",
            "IPV6_V6ONLY"), SocketDefaults.names());
        assertTrue(rows.get(11).startsWith("    SO_REUSEADDR        |       yes|    --    |    --    |"), rows.get(11));
        assertTrue(rows.get(18).startsWith("    TCP_NODELAY         |    --    |       yes|       yes|"), rows.get(18));
        assertTrue(rows.get(0).endsWith("|        no"), rows.get(0));
        assertTrue(rows.get(3).endsWith("|       0:0"), rows.get(3));
        for (String r : rows) assertTrue(!r.contains("unknown"), r);
    }

    /** On the same kernel, jstunnel's table is stunnel's, line for line. */
    @Test
    void socketsSameAsTheRealStunnel() throws Exception {
        Path stunnel = Path.of("/usr/bin/stunnel4");
        org.junit.jupiter.api.Assertions.assertTrue(Files.isExecutable(stunnel), "stunnel4 not installed");
        Process p = new ProcessBuilder(stunnel.toString(), "-sockets").redirectErrorStream(true).start();
        List<String> theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        List<String> ours = capture(new Command.Sockets());
        assertEquals(theirs.subList(5, theirs.size()), ours.subList(4, ours.size()));
    }

    @Test
    void runRefusesRunCommands() {
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> InfoCommands.run(new Command.Run(Path.of("x")), err));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> InfoCommands.run(new Command.RunFd(0), err));
    }

    @Test
    void openSslLines() {
        assertEquals(List.of("Compiled/running with OpenSSL 3.0.19 27 Jan 2026"),
            InfoCommands.openSslLines("OpenSSL 3.0.19 27 Jan 2026", "OpenSSL 3.0.19 27 Jan 2026"));
        assertEquals(List.of("Compiled/running with OpenSSL 3.0.19 27 Jan 2026"),
            InfoCommands.openSslLines(null, "OpenSSL 3.0.19 27 Jan 2026"));
        // stunnel4 on Debian: built with 3.0.9, running 3.0.19 — same major.minor, no advice
        assertEquals(List.of("Compiled with OpenSSL 3.0.9 30 May 2023", "Running  with OpenSSL 3.0.19 27 Jan 2026"),
            InfoCommands.openSslLines("OpenSSL 3.0.9 30 May 2023", "OpenSSL 3.0.19 27 Jan 2026"));
        assertEquals(List.of("Compiled with OpenSSL 3.0.9 30 May 2023", "Running  with OpenSSL 3.2.1 30 Jan 2024",
                "Update OpenSSL shared libraries or rebuild jstunnel"),
            InfoCommands.openSslLines("OpenSSL 3.0.9 30 May 2023", "OpenSSL 3.2.1 30 Jan 2024"));
    }

    @Test
    void banner() {
        assertEquals(List.of("jstunnel 0.1.0 on x86_64-pc-linux-gnu platform",
                "Compiled/running with OpenSSL 3.0.19 27 Jan 2026",
                "Threading:VIRTUAL Sockets:NIO,IPv6 TLS:ENGINE,OCSP,PSK,SNI"),
            InfoCommands.bannerLines("x86_64-pc-linux-gnu", null, "OpenSSL 3.0.19 27 Jan 2026",
                InfoCommands.features(true)));
        assertEquals("Threading:VIRTUAL Sockets:NIO,IPv4 TLS:ENGINE,OCSP,PSK,SNI", InfoCommands.features(false));
        // stunnel's order when the FIPS provider is available: TLS:ENGINE,FIPS,OCSP,PSK,SNI
        assertEquals("Threading:VIRTUAL Sockets:NIO,IPv6 TLS:ENGINE,FIPS,OCSP,PSK,SNI", InfoCommands.features(true, true));
        List<String> real = InfoCommands.bannerLines();
        assertEquals(3, real.size());
    }

    @Test
    void host() {
        assertEquals("x86_64-pc-linux-gnu", Version.host("amd64", "Linux"));
        assertEquals("aarch64-unknown-linux-gnu", Version.host("aarch64", "Linux"));
        assertEquals("i686-pc-linux-gnu", Version.host("x86", "Linux"));
        assertEquals("x86_64-apple-darwin", Version.host("x86_64", "Mac OS X"));
        assertEquals("0.1.0", Version.VERSION);
        assertEquals("jstunnel", Version.PROGRAM);
    }

    @Test
    void fipsIsShownWhenTheProviderIsAvailable() {
        List<String> on = InfoCommands.versionLines(true, true);
        assertEquals("fips                   = yes", on.get(2));
        assertEquals("fips                   = no", InfoCommands.versionLines(true, false).get(2));
        assertTrue(InfoCommands.versionLines(false, false).stream().noneMatch(l -> l.startsWith("fips ")));
        assertTrue(InfoCommands.helpLines(true).stream().anyMatch(l -> l.startsWith("fips ")));
        assertTrue(InfoCommands.helpLines(false).stream().noneMatch(l -> l.startsWith("fips ")));
    }
}
