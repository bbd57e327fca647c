package org.jstunnel.config;

import static org.jstunnel.config.ValueType.*;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every option of stunnel 5.63's manual (plus 5.75's {@code provider}/{@code providerParameter} and the
 * undocumented aliases {@code curve} and {@code session}), in stunnel's order: global options as
 * options.c parse_global_option lists them, then service options as parse_service_option does.
 * Defaults are stunnel 5.63's (options.c, ctx.c) unless a note says otherwise.
 */
public final class OptionTable {
    /** The manual's order; options.c has TLS_AES_256_GCM_SHA384 first. */
    static final String DEFAULT_CIPHERSUITES =
            "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256";
    static final String DEFAULT_CIPHERS = "HIGH:!aNULL:!SSLv2:!DH:!kDHEPSK";
    static final String DEFAULT_CURVES = "X25519:P-256:X448:P-521:P-384";
    private static final String TLS_VERSIONS = "all | SSLv3 | TLSv1 | TLSv1.1 | TLSv1.2 | TLSv1.3";

    /** Options stunnel does not have (issue 14: several instances behind a balancer); -help leaves them out. */
    private static final java.util.Set<String> EXTENSIONS = java.util.Set.of("ticketKeyFile", "drainTimeout",
        "reusePort", "acceptProxy", "acceptProxyFrom");
    private static final List<OptionSpec> ALL;
    private static final Map<String, OptionSpec> BY_NAME;

    static {
        List<OptionSpec> t = new ArrayList<>();
        globals(t);
        services(t);
        extensions(t);
        ALL = Collections.unmodifiableList(t);
        Map<String, OptionSpec> m = new TreeMap<>();
        for (OptionSpec s : t) {
            m.put(s.name().toLowerCase(Locale.ROOT), s);
            for (String a : s.aliases()) m.put(a.toLowerCase(Locale.ROOT), s);
        }
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private OptionTable() {}

    /** Every option, global ones first, each in stunnel's order. */
    public static Collection<OptionSpec> all() {
        return ALL;
    }

    /** True for jstunnel's own options (not in stunnel's manual). */
    public static boolean isExtension(OptionSpec o) {
        return EXTENSIONS.contains(o.name());
    }

    /** Case-insensitive lookup by name or alias; null if stunnel 5.63 does not know the name. */
    public static OptionSpec find(String name) {
        return name == null ? null : BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    private static OptionSpec.Builder g(String name, ValueType type) {
        return new OptionSpec.Builder(name, Scope.GLOBAL, type);
    }

    private static OptionSpec.Builder s(String name, ValueType type) {
        return new OptionSpec.Builder(name, Scope.SERVICE, type);
    }

    private static String notYet(String option, String value) {
        return "option \"" + option + "\" value \"" + value + "\" is not implemented yet in jstunnel";
    }

    private static void globals(List<OptionSpec> t) {
        t.add(g("chroot", PATH).about("directory to chroot stunnel process").syntax("DIRECTORY")
                .help("directory to chroot stunnel process").implemented()
                .note("entered after binding, before setuid; the JVM's and jstunnel's own files are opened before "
                        + "(docs/chroot.md); then output, pid, exec, CApath, CRLpath and a reload's files are "
                        + "inside the jail; not changed by a reload").build());
        t.add(g("compression", ENUM).about("select data compression algorithm").syntax("deflate | zlib")
                .help("compression type")
                .check(ValueChecks.oneOf("Specified compression type is not available", "deflate", "zlib")).implemented()
                .note("refused at start-up when OpenSSL has no compression methods (\"Configured compression is "
                        + "unsupported by OpenSSL\"), as stunnel does with Debian's OpenSSL 3").build());
        t.add(g("EGD", PATH).about("path to Entropy Gathering Daemon socket").syntax("EGDPATH")
                .help("path to Entropy Gathering Daemon socket").implemented()
                .note("accepted and unused: OpenSSL 3 has no EGD support (OPENSSL_NO_EGD), as in stunnel built "
                        + "against it").build());
        t.add(g("engine", STRING).about("select hardware or software cryptographic engine").syntax("auto | ENGINEID")
                .help("auto|engine_id").check(ValueChecks.nonEmpty("Failed to open the engine")).repeatable().implemented()
                .note("each engine line opens one more engine (#1, #2, ...); see docs/hsm.md").build());
        t.add(g("engineCtrl", COMMAND).about("control hardware engine").syntax("COMMAND[:PARAMETER]").help("cmd[:arg]")
                .repeatable().secret(Secrecy.COMMAND_PARAMETER).implemented()
                .note("acts on the engine opened last; a PIN or password parameter is masked in messages "
                        + "and never logged").build());
        t.add(g("engineDefault", STRING).about("set OpenSSL tasks delegated to the current engine").syntax("TASKLIST")
                .help("TASK_LIST").repeatable().implemented().build());
        t.add(g("fips", BOOLEAN).about("enable or disable FIPS 140-2 mode").syntax("yes | no")
                .help("yes|no FIPS 140-2 mode").defaults("no").implemented()
                .note("OpenSSL 3's FIPS provider, found through OPENSSL_CONF/OPENSSL_MODULES; "
                        + "the default is yes when OpenSSL's configuration already makes FIPS the default").build());
        t.add(g("foreground", ENUM).about("foreground mode (do not fork)").syntax("yes | quiet | no")
                .help("yes|quiet|no foreground mode (don't fork, log to stderr)").defaults("no").implemented()
                .check(ValueChecks.oneOf("The argument needs to be either 'yes', 'quiet' or 'no'", "yes", "quiet", "no"))
                .build());
        t.add(g("iconActive", PATH).about("GUI icon to be displayed when there are established connections")
                .syntax("ICONFILE").help("icon when connections are established").unsupportedPlatform()
                .note("WIN32 GUI only").build());
        t.add(g("iconError", PATH).about("GUI icon to be displayed when no valid configuration is loaded")
                .syntax("ICONFILE").help("icon for invalid configuration file").unsupportedPlatform()
                .note("WIN32 GUI only").build());
        t.add(g("iconIdle", PATH).about("GUI icon to be displayed when there are no established connections")
                .syntax("ICONFILE").help("icon when no connections were established").unsupportedPlatform()
                .note("WIN32 GUI only").build());
        t.add(g("log", ENUM).about("log file handling").syntax("append | overwrite").help("append|overwrite log file")
                .defaults("append").implemented()
                .check(ValueChecks.oneOf("The argument needs to be either 'append' or 'overwrite'", "append", "overwrite"))
                .build());
        t.add(g("output", PATH).about("append log messages to a file").syntax("FILE")
                .help("file to append log messages").implemented().note("must be an absolute path unless foreground")
                .build());
        t.add(g("pid", PATH).about("pid file location").syntax("FILE").help("pid file").implemented()
                .check(ValueChecks.emptyMeansNone())
                .note("no pid file unless set (stunnel 5.63's compiled default); empty = none; "
                        + "absolute path unless foreground; written as stunnel (mode 0644, after chroot and "
                        + "setuid, so inside the jail and owned by that user), removed at exit")
                .build());
        // jstunnel extensions (issue 10): stunnel refuses them
        t.add(g("pkcs11Sessions", INTEGER).about("signing threads per token (key runners)").syntax("COUNT")
                .help("signing threads per token").defaults("16").implemented()
                .check(ValueChecks.integer(1, 1024, "Illegal number of signing threads"))
                .note("jstunnel extension: full handshakes of a service whose key is on a token (engine or "
                        + "provider) sign on this many platform threads per token, never on the threads that "
                        + "carry connections; 16 is libp11's session limit per slot; see docs/hsm.md").build());
        t.add(g("pkcs11Timeout", INTEGER).about("deadline of one private key operation on a token")
                .syntax("MILLISECONDS").help("deadline of a token key operation (ms)").defaults("10000").implemented()
                .check(ValueChecks.integer(1, 3_600_000, "Illegal timeout"))
                .note("jstunnel extension: a handshake whose token key operation (queueing included) misses "
                        + "it fails with an internal_error alert; a hung call keeps one signing thread until "
                        + "the token returns; see docs/hsm.md").build());
        t.add(g("provider", STRING).about("load an OpenSSL provider").syntax("PROVIDER")
                .help("OpenSSL provider to load").repeatable().implemented().note("stunnel 5.75 option").build());
        t.add(g("providerParameter", STRING).about("set a parameter of a loaded OpenSSL provider")
                .syntax("PROVIDER:NAME=VALUE").help("provider:parameter=value").repeatable()
                .check(ValueChecks.providerParameter()).secret(Secrecy.NAMED_PARAMETER).implemented()
                .note("stunnel 5.75 option; needs OpenSSL 3.5 or later (refused at start-up before); "
                        + "a PIN or password value is masked in messages").build());
        t.add(g("RNDbytes", INTEGER).about("bytes to read from random seed files").syntax("BYTES")
                .help("bytes to read from random seed files").defaults("1024")
                .check(ValueChecks.integer(0, Integer.MAX_VALUE, "Illegal number of bytes to read from random seed files"))
                .implemented().build());
        t.add(g("RNDfile", PATH).about("path to file with random seed data").syntax("FILE")
                .help("path to file with random seed data").implemented()
                .note("read only when OpenSSL asks for seeding (OpenSSL 3 seeds itself: \"No PRNG seeding was "
                        + "required\")").build());
        t.add(g("RNDoverwrite", BOOLEAN).about("overwrite the random seed files with new random data")
                .syntax("yes | no").help("yes|no overwrite seed datafiles with new random data").defaults("yes")
                .implemented().build());
        t.add(g("setEnv", STRING).about("set an environment variable for child processes").syntax("VAR_NAME=VALUE")
                .help("name=value of an environment variable").repeatable().secret(Secrecy.VALUE).implemented()
                .note("stunnel 5.75 option; set in jstunnel's own environment as the configuration is read (so "
                        + "providers, engines and `exec` programs see it), as stunnel's setenv; `NAME` alone or "
                        + "`NAME=` unsets; masked in messages").build());
        t.add(g("syslog", BOOLEAN).about("enable logging via syslog").syntax("yes | no")
                .help("yes|no send logging messages to syslog").defaults("yes").implemented().build());
        t.add(g("taskbar", BOOLEAN).about("enable the taskbar icon").syntax("yes | no")
                .help("yes|no enable the taskbar icon").defaults("yes").unsupportedPlatform().note("WIN32 only")
                .build());
        // jstunnel extensions: options stunnel does not have
        t.add(g("adminListen", ADDRESS).about("admin listener: Prometheus /metrics, /live, /ready")
                .syntax("[HOST:]PORT | /PATH").help("[host:]port|/path admin listener (metrics, health)")
                .check(ValueChecks.address("127.0.0.1")).implemented()
                .note("jstunnel extension; off when unset; default host 127.0.0.1 (loopback); `/path` = Unix "
                        + "socket; a change takes effect at the next start, not at a reload; see docs/operations.md")
                .build());
    }

    private static void services(List<OptionSpec> t) {
        t.add(s("accept", ADDRESS).about("accept connections on specified address").syntax("[HOST:]PORT")
                .help("[host:]port accept connections on specified host:port").repeatable().implemented()
                .check(ValueChecks.address(Address.ANY_IPV4))
                .note("default host 0.0.0.0; `:::PORT` = all IPv6; `/path` = Unix socket; port 0 = any").build());
        t.add(s("CAengine", STRING).about("load a trusted CA certificate from an engine")
                .syntax("ENGINE-SPECIFIC_CA_CERTIFICATE_IDENTIFIER")
                .help("engine-specific CA certificate identifier for 'verify' option").repeatable().implemented()
                .note("stunnel 5.75 option; through the service's engine (engineId/engineNum) with LOAD_CERT_CTRL, "
                        + "as stunnel; a certificate the engine cannot return is logged (\"CAengine failed to retrieve\") "
                        + "and skipped").build());
        t.add(s("CApath", PATH).about("Certificate Authority directory").syntax("DIRECTORY")
                .help("CA certificate directory for 'verify' option").implemented().check(ValueChecks.emptyMeansNone())
                .build());
        t.add(s("CAfile", PATH).about("Certificate Authority file").syntax("CAFILE")
                .help("CA certificate file for 'verify' option").implemented().check(ValueChecks.emptyMeansNone())
                .build());
        t.add(s("CAstore", STRING).about("load trusted CA certificates from a resource specified by a URI")
                .syntax("URI_CA").help("URI to store of CA certificates").implemented().check(ValueChecks.emptyMeansNone())
                .note("stunnel 5.75 option; SSL_CTX_load_verify_store (any OSSL_STORE URI a loaded provider "
                        + "handles); also the client CA list of a server, as stunnel").build());
        t.add(s("cert", PATH).about("certificate chain file name").syntax("CERTFILE").help("certificate chain")
                .implemented().note("required in server mode unless engineId/engineNum is set; an engine identifier "
                        + "(RFC 7512 pkcs11: URI) with engineId/engineNum, or an OSSL_STORE URI a loaded provider "
                        + "handles, unless it names a file").build());
        t.add(s("checkEmail", STRING).about("email address of the peer certificate subject").syntax("EMAIL")
                .help("peer certificate email address").repeatable().implemented().build());
        t.add(s("checkHost", STRING).about("host of the peer certificate subject").syntax("HOST")
                .help("peer certificate host name pattern").repeatable().implemented().build());
        t.add(s("checkIP", STRING).about("IP address of the peer certificate subject").syntax("IP")
                .help("peer certificate IP address").repeatable().implemented().build());
        t.add(s("ciphers", STRING).about("select permitted TLS ciphers (TLSv1.2 and below)").syntax("CIPHERLIST")
                .help("permitted ciphers for TLS 1.2 or older").defaults(DEFAULT_CIPHERS).implemented().build());
        t.add(s("ciphersuites", STRING).about("select permitted TLSv1.3 ciphersuites").syntax("CIPHERSUITESLIST")
                .help("permitted ciphersuites for TLS 1.3").defaults(DEFAULT_CIPHERSUITES).implemented()
                .note("default in the manual's order (stunnel 5.63's options.c lists TLS_AES_256_GCM_SHA384 first)")
                .build());
        t.add(s("client", BOOLEAN).about("client mode (remote service uses TLS)").syntax("yes | no")
                .help("yes|no client mode (remote service uses TLS)").defaults("no").implemented().build());
        t.add(s("config", COMMAND).about("OpenSSL configuration command").syntax("COMMAND[:PARAMETER]")
                .help("command[:parameter] to execute").repeatable().implemented().build());
        t.add(s("connect", ADDRESS).about("connect to a remote address").syntax("[HOST:]PORT")
                .help("[host:]port to connect").repeatable().implemented().check(ValueChecks.address(Address.LOCALHOST))
                .note("default host localhost").build());
        t.add(s("CRLpath", PATH).about("Certificate Revocation Lists directory").syntax("DIRECTORY")
                .help("CRL directory").check(ValueChecks.emptyMeansNone()).implemented().build());
        t.add(s("CRLfile", PATH).about("Certificate Revocation Lists file").syntax("CRLFILE").help("CRL file")
                .check(ValueChecks.emptyMeansNone()).implemented().build());
        t.add(s("curves", STRING).about("ECDH curves separated with ':'").syntax("LIST").help("ECDH curve names")
                .aliases("curve").defaults(DEFAULT_CURVES).implemented().build());
        t.add(s("debug", DEBUG_LEVEL).about("debugging level").syntax("[FACILITY.]LEVEL")
                .help("[facility].level (e.g. daemon.info)").defaults("notice").implemented()
                .check(ValueChecks.debugLevel())
                .note("notice (5); a facility only in the global section (default daemon)").build());
        t.add(s("delay", BOOLEAN).about("delay DNS lookup for the connect option").syntax("yes | no")
                .help("yes|no delay DNS lookup for 'connect' option").defaults("no").implemented()
                .note("also engaged when no connect (or redirect) target resolves at startup; forces failover = prio")
                .build());
        t.add(s("engineId", STRING).about("select engine ID for the service").syntax("ENGINEID")
                .help("ID of engine to read the key from").implemented()
                .note("cert and key are identifiers for the engine (e.g. RFC 7512 pkcs11: URIs) unless they name a file")
                .build());
        t.add(s("engineNum", INTEGER).about("select engine number for the service").syntax("ENGINENUMBER")
                .help("number of engine to read the key from")
                .check(ValueChecks.integer(Integer.MIN_VALUE, Integer.MAX_VALUE, "Illegal engine number")).implemented()
                .note("engines are numbered from 1 in the order the engine lines open them; engineId wins when both are set")
                .build());
        t.add(s("exec", PATH).about("execute a local inetd-type program").syntax("EXECUTABLEPATH")
                .help("file execute local inetd-type program").implemented()
                .note("started with posix_spawn on a loopback TCP socket pair, as stunnel; "
                        + "sets REMOTE_HOST, REMOTE_PORT, SSL_CLIENT_DN, SSL_CLIENT_I_DN")
                .build());
        t.add(s("execArgs", STRING).about("arguments for exec including the program name ($0)").syntax("$0 $1 $2 ...")
                .help("arguments for 'exec' (including $0)").implemented()
                .note("default: the exec path; split on whitespace, no quoting").build());
        t.add(s("failover", ENUM).about("failover strategy for multiple connect targets").syntax("rr | prio")
                .help("rr|prio failover strategy").defaults("prio").implemented()
                .check(ValueChecks.oneOf("The argument needs to be either 'rr' or 'prio'", "rr", "prio")).build());
        t.add(s("ident", STRING).about("use IDENT (RFC 1413) username checking").syntax("USERNAME")
                .help("username for IDENT (RFC 1413) checking").implemented()
                .note("queried on the connection's virtual thread (TIMEOUTconnect, then TIMEOUTbusy); the query "
                        + "names the port the client connected to (stunnel: the configured accept port)").build());
        t.add(s("include", DIRECTORY).about("include all configuration file parts located in DIRECTORY")
                .syntax("DIRECTORY").help("directory with configuration file snippets").implemented()
                .note("every regular file in DIRECTORY, in byte order of names, read in place of the line").build());
        t.add(s("key", PATH).about("private key for the certificate specified with cert option").syntax("KEYFILE")
                .help("certificate private key").implemented()
                .note("default: the value of cert; an engine identifier or OSSL_STORE URI as for cert").build());
        t.add(s("libwrap", BOOLEAN).about("use /etc/hosts.allow and /etc/hosts.deny").syntax("yes | no")
                .help("yes|no use /etc/hosts.allow and /etc/hosts.deny").defaults("no").implemented()
                .note("hosts_access(5) rules read for every connection, matched against the service name; "
                        + "host names looked up off the connection threads with a 5 s deadline; no @netgroup, no "
                        + "user@host, no spawn/twist (only the allow/deny options); system properties "
                        + "jstunnel.hostsAllow/jstunnel.hostsDeny name other files").build());
        t.add(s("local", HOST).about("static local IP address to bind for remote connections").syntax("HOST")
                .help("IP address to be used as source for remote connections").implemented()
                .check(ValueChecks.localHost()).note("resolved while parsing, as stunnel does").build());
        t.add(s("logId", ENUM).about("connection identifier type").syntax("sequential | unique | thread | process")
                .help("connection identifier type").defaults("sequential").implemented()
                .check(ValueChecks.oneOf("Invalid connection identifier type", "sequential", "unique", "thread", "process"))
                .note("`thread` is the Java thread id of the connection (connections run on virtual threads)")
                .build());
        t.add(s("OCSP", STRING).about("select OCSP responder for certificate verification").syntax("URL")
                .help("OCSP responder URL").implemented().note("plain http:// only, as stunnel. stunnel 5.75 semantics: "
                        + "asked for the leaf only, by a client after the server's staple was missing or inconclusive; "
                        + "the request runs inside the handshake, bounded by TIMEOUTocsp").build());
        t.add(s("OCSPaia", BOOLEAN).about("validate certificates with their AIA OCSP responders").syntax("yes | no")
                .help("yes|no check the AIA responders from certificates").defaults("no").implemented()
                .note("every certificate but the root (5.75: after the staple and the OCSP responder for the leaf). "
                        + "Independently of it, every server (without PSK) staples its own certificate's response from "
                        + "its AIA responder, fetched in the background every minute and before nextUpdate, as stunnel 5.75").build());
        t.add(s("OCSPflag", OCSP_FLAG).about("specify OCSP responder flag").syntax("OCSPFLAG")
                .help("OCSP responder flags").repeatable().check(ValueChecks.ocspFlag()).implemented()
                .note("RESPID_KEY (stunnel's spelling) or RESPIDKEY (the manual's)").build());
        t.add(s("OCSPnonce", BOOLEAN).about("send and verify the OCSP nonce extension").syntax("yes | no")
                .help("yes|no send and verify the OCSP nonce extension").defaults("no").implemented().build());
        t.add(s("OCSPrequire", BOOLEAN).about("require a conclusive OCSP response").syntax("yes | no")
                .help("yes|no require a conclusive OCSP response").defaults("yes").implemented()
                .note("stunnel 5.75 option: with `no`, a certificate whose OCSP check (staple, configured or AIA "
                        + "responder) gave no conclusive answer is accepted (\"OCSP: Accepted (OCSPrequire = no)\")")
                .build());
        t.add(s("options", TLS_OPTION).about("OpenSSL library options").syntax("SSLOPTIONS")
                .help("TLS option to set/reset").repeatable().defaults("NO_SSLv2", "NO_SSLv3").implemented()
                .check(ValueChecks.tlsOption())
                .note("the defaults always apply first; `-NAME` clears; stunnel applies all sets, then all clears")
                .build());
        t.add(s("protocol", STRING).about("application protocol to negotiate TLS").syntax("PROTO")
                .help("protocol to negotiate before TLS initialization").check(ValueChecks.protocol()).implemented()
                .note("client and server: smtp, pop3, imap, pgsql, cifs, connect, socks, capwin; client only: nntp,"
                        + " ldap, capwinctrl; server only: proxy."
                        + " Safer than stunnel: SOCKS also refuses 0.0.0.0/8, ::, and IPv4-mapped or -compatible"
                        + " loopback targets; plaintext received after a STARTTLS exchange, before the handshake, is"
                        + " discarded (logged as a warning); SOCKS client mode needs protocolHost (no transparent"
                        + " destination); `connect` server mode replies `Server: jstunnel/VERSION`").build());
        t.add(s("protocolAuthentication", STRING).about("authentication type for the protocol negotiations")
                .syntax("AUTHENTICATION").help("authentication type for protocol negotiations").defaults("basic")
                .implemented().note("connect client: basic or ntlm; smtp client: plain or login").build());
        t.add(s("protocolDomain", STRING).about("domain for the protocol negotiations").syntax("DOMAIN")
                .help("domain for protocol negotiations").implemented()
                .note("connect client with NTLM; optional (empty when unset: stunnel 5.68 crashes)").build());
        t.add(s("protocolHeader", STRING).about("header for the protocol negotiations").syntax("HEADER")
                .help("custom header for protocol negotiations").repeatable().implemented()
                .note("connect client: sent in order after the authentication").build());
        t.add(s("protocolHost", STRING).about("host address for the protocol negotiations").syntax("ADDRESS")
                .help("host:port for protocol negotiations").implemented()
                .note("connect client (required), socks client, smtp client (EHLO name), capwin server (the LDAP"
                        + " server); the default SNI name in client mode").build());
        t.add(s("protocolPassword", STRING).about("password for the protocol negotiations").syntax("PASSWORD")
                .help("password for protocol negotiations").secret(Secrecy.VALUE).implemented()
                .note("connect and smtp clients; masked in messages and never logged").build());
        t.add(s("protocolUsername", STRING).about("username for the protocol negotiations").syntax("USERNAME")
                .help("username for protocol negotiations").implemented()
                .note("connect and smtp clients").build());
        t.add(s("PSKidentity", STRING).about("PSK identity for the PSK client").syntax("IDENTITY")
                .help("identity for PSK authentication").implemented()
                .note("default: the first identity in PSKsecrets; ignored in server mode").build());
        t.add(s("PSKsecrets", PATH).about("file with PSK identities and corresponding keys").syntax("FILE")
                .help("secrets for PSK authentication").check(PskSecretsFile.check()).implemented()
                .note("IDENTITY:KEY lines; hexadecimal or ASCII keys of 16 to 512 bytes; read while parsing, as "
                        + "stunnel; a file others may read or write gets stunnel's warning "
                        + "(\"Insecure file permissions on FILE\") and is used").build());
        t.add(s("pty", BOOLEAN).about("allocate a pseudoterminal for 'exec' option").syntax("yes | no")
                .help("yes|no allocate pseudo terminal for 'exec' option").defaults("no").implemented()
                .note("the program runs in a new session with the terminal's slave as its controlling terminal "
                        + "(stunnel does not setsid); default terminal settings (echo on), as stunnel").build());
        t.add(s("redirect", ADDRESS)
                .about("redirect TLS client connections on certificate-based authentication failures")
                .syntax("[HOST:]PORT").help("[host:]port to redirect on authentication failures").repeatable()
                .check(ValueChecks.address(Address.LOCALHOST)).implemented()
                .note("a resumed session is redirected too (whether its first handshake authenticated "
                        + "the client is not kept with the session)").build());
        t.add(s("renegotiation", BOOLEAN).about("support TLS renegotiation").syntax("yes | no")
                .help("yes|no support renegotiation").defaults("yes").implemented()
                .note("OpenSSL 3 refuses client-initiated renegotiation unless options = ALLOW_CLIENT_RENEGOTIATION; "
                        + "with no, a renegotiation OpenSSL accepted ends the connection, as stunnel").build());
        t.add(s("requireCert", BOOLEAN).about("require a client certificate for verifyChain or verifyPeer")
                .syntax("yes | no").help("yes|no require client certificate").defaults("no").implemented()
                .note("`verifyChain = yes` and `verifyPeer = yes` set it to yes").build());
        t.add(s("reset", BOOLEAN).about("attempt to use the TCP RST flag to indicate an error").syntax("yes | no")
                .help("yes|no send TCP RST on error").defaults("yes").implemented().build());
        t.add(s("retry", STRING).about("reconnect a connect+exec section after it was disconnected")
                .syntax("yes | no | DELAY").help("yes|no retry connect+exec section").defaults("no").implemented()
                .check(ValueChecks.retryDelay())
                .note("stunnel 5.75: DELAY in milliseconds before the program is started again; yes = 1000")
                .build());
        t.add(s("securityLevel", INTEGER).about("set the security level").syntax("LEVEL").help("set the security level")
                .defaults("2").implemented().check(ValueChecks.integer(0, 5, "Illegal security level")).build());
        t.add(s("service", STRING).about("stunnel service name").syntax("SERVICE").help("service name")
                .defaults("stunnel").notInherited().implemented()
                .note("syslog ident and inetd-mode service name; a [section] defaults to its own name").build());
        t.add(s("setgid", STRING).about("Unix group id").syntax("GROUP").help("groupname for setgid()")
                .check(ValueChecks.groupId()).implemented()
                .note("name or number, resolved while parsing; global: the whole process (every thread) switches "
                        + "after binding, before accepting, with setgroups to this group alone; in a section: the "
                        + "owner group of its Unix socket, as stunnel").build());
        t.add(s("setuid", STRING).about("Unix user id").syntax("USER").help("username for setuid()")
                .check(ValueChecks.userId()).implemented()
                .note("name or number, resolved while parsing; global: the whole process (every thread, and so "
                        + "`exec` children) switches after binding, before accepting; in a section: the owner "
                        + "of its Unix socket, as stunnel").build());
        t.add(s("sessionCacheSize", INTEGER).about("session cache size").syntax("NUMENTRIES").help("session cache size")
                .defaults("1000").check(ValueChecks.integer(0, Integer.MAX_VALUE, "Illegal session cache size"))
                .implemented().note("0 = unlimited").build());
        t.add(s("sessionCacheTimeout", INTEGER).about("session cache timeout").syntax("TIMEOUT")
                .help("session cache timeout (in seconds)").aliases("session").defaults("300")
                .check(ValueChecks.integer(0, Integer.MAX_VALUE, "Illegal session cache timeout")).implemented()
                .note("also the lifetime of session tickets").build());
        t.add(s("sessionResume", BOOLEAN).about("allow or disallow session resumption").syntax("yes | no")
                .help("yes|no enable session resumption").defaults("yes").implemented().build());
        t.add(s("sessiond", ADDRESS).about("address of sessiond TLS cache server").syntax("HOST:PORT")
                .help("[host:]port use sessiond at host:port").check(ValueChecks.address(Address.LOCALHOST))
                .implemented()
                .note("stunnel's UDP protocol: new and removed sessions are sent, a server asks for a session a "
                        + "TLS 1.2 ClientHello wants to resume before OpenSSL reads it (200 ms, connected socket); "
                        + "a TLS 1.3 client's session id is not looked up, so TLS 1.3 stateful tickets are not "
                        + "shared; sessions over 512 bytes (client certificates) are not shared, as stunnel").build());
        t.add(s("sni", STRING)
                .about("SNI: slave service of SERVICE for PATTERN (server mode), "
                        + "or the server name to send (client mode)")
                .syntax("SERVICENAME:SERVERNAMEPATTERN | SERVERNAME")
                .help("master_service:host_name for an SNI virtual service").implemented()
                .note("server mode: a slave of SERVICE chosen when the client's server name matches PATTERN "
                        + "(`*.` wildcards; the slave's certificate, verification and connect); client mode: empty "
                        + "sends none; a later sni replaces an earlier one, as in stunnel 5.63")
                .build());
        t.add(s("socket", SOCKET_OPTION).about("set an option on the accept/local/remote socket")
                .syntax("a|l|r:OPTION=VALUE[:VALUE]").help("a|l|r:option=value[:value]").repeatable()
                .check(ValueChecks.socketOption()).implemented()
                .note("stunnel's defaults: a:SO_REUSEADDR=yes, l:TCP_NODELAY=yes, r:TCP_NODELAY=yes; set with "
                        + "setsockopt(2) on the accepting socket before bind, the accepted socket when the connection "
                        + "starts and the remote socket once connected (also the exec socket pair), as stunnel").build());
        t.add(s("sslVersion", TLS_VERSION).about("select the TLS protocol version").syntax(TLS_VERSIONS)
                .help("all|SSLv3|TLSv1|TLSv1.1|TLSv1.2|TLSv1.3 TLS version").implemented()
                .check(ValueChecks.tlsVersion())
                .note("sets sslVersionMin and sslVersionMax; "
                        + "SSLv2 is rejected, as stunnel built with OpenSSL >= 1.1.0 does")
                .build());
        t.add(s("sslVersionMax", TLS_VERSION).about("maximum supported protocol versions").syntax(TLS_VERSIONS)
                .help("all|SSLv3|TLSv1|TLSv1.1|TLSv1.2|TLSv1.3 TLS version").defaults("all").implemented()
                .check(ValueChecks.tlsVersion()).build());
        t.add(s("sslVersionMin", TLS_VERSION).about("minimum supported protocol versions").syntax(TLS_VERSIONS)
                .help("all|SSLv3|TLSv1|TLSv1.1|TLSv1.2|TLSv1.3 TLS version").defaults("TLSv1").implemented()
                .check(ValueChecks.tlsVersion()).build());
        t.add(s("stack", INTEGER).about("CPU stack size of created threads").syntax("BYTES")
                .help("thread stack size (in bytes)").defaults("65536")
                .check(ValueChecks.integer(0, Integer.MAX_VALUE, "Illegal thread stack size")).implemented()
                .note("connections run on virtual threads, whose stacks grow and shrink on the heap: the value "
                        + "cannot apply to them; it sizes the platform threads a connection starts (the exec child's "
                        + "waiter, the pty relays), raised by the JVM to its minimum (about 136 KiB on x86_64 "
                        + "Linux) when smaller").build());
        t.add(s("ticketKeySecret", HEX_SECRET)
                .about("hexadecimal symmetric key used for session ticket confidentiality protection").syntax("SECRET")
                .help("secret key for encryption/decryption TLSv1.3 tickets").secret(Secrecy.VALUE)
                .check(ValueChecks.hexKey("ticketKeySecret")).implemented()
                .note("masked in messages; tickets interoperate with stunnel's (same format and key use)").build());
        t.add(s("ticketMacSecret", HEX_SECRET)
                .about("hexadecimal symmetric key used for session ticket integrity protection").syntax("SECRET")
                .help("key for HMAC operations on TLSv1.3 tickets").secret(Secrecy.VALUE)
                .check(ValueChecks.hexKey("ticketMacSecret")).implemented().note("masked in messages").build());
        t.add(timeout("TIMEOUTbusy", "time to wait for expected data", "300",
                "seconds to wait for expected data", "Illegal busy timeout"));
        t.add(timeout("TIMEOUTclose", "time to wait for close_notify (set to 0 for buggy MSIE)", "60",
                "seconds to wait for close_notify", "Illegal close timeout"));
        t.add(timeout("TIMEOUTconnect", "time to wait to connect to a remote host", "10",
                "seconds to connect remote host", "Illegal connect timeout"));
        t.add(timeout("TIMEOUTidle", "time to keep an idle connection", "43200",
                "seconds to keep an idle connection", "Illegal idle timeout"));
        t.add(s("TIMEOUTocsp", INTEGER).about("time to wait to connect an OCSP responder").syntax("SECONDS")
                .help("seconds to connect OCSP responder").defaults("5").implemented()
                .check(ValueChecks.integer(0, Integer.MAX_VALUE, "Illegal OCSP connect timeout"))
                .note("stunnel 5.75 option. Stapling refresher: the connect bound, the exchange is bound by "
                        + "TIMEOUTbusy (as stunnel). A client's own responder request inside the handshake: the "
                        + "bound of the whole exchange (stricter than stunnel, which allows TIMEOUTbusy for it)")
                .build());
        t.add(s("transparent", ENUM).about("enable transparent proxy support on selected platforms")
                .syntax("none | source | destination | both")
                .help("none|source|destination|both transparent proxy mode").defaults("none")
                .check(ValueChecks.transparent()).implemented()
                .note("legacy `yes` = source, `no` = none; Linux: source binds the client's address with "
                        + "IP_TRANSPARENT (IP_FREEBIND fallback) and needs policy routing for the replies, destination "
                        + "reads SO_ORIGINAL_DST after an iptables/nft REDIRECT; exec programs get no LD_PRELOAD "
                        + "(stunnel's libstunnel.so has no jstunnel counterpart)").build());
        t.add(s("verify", INTEGER).about("verify the peer certificate").syntax("LEVEL")
                .help("level of peer certificate verification").check(ValueChecks.integer(0, 4, "Bad verify level"))
                .implemented().note("obsolete; use verifyChain and verifyPeer. 0: request and ignore; "
                        + "1: verifyChain if present; 2: verifyChain; 3: verifyChain and verifyPeer; 4: verifyPeer")
                .build());
        t.add(s("verifyChain", BOOLEAN).about("verify the peer certificate chain starting from the root CA")
                .syntax("yes | no").help("yes|no verify certificate chain").defaults("no").implemented().build());
        t.add(s("verifyPeer", BOOLEAN).about("verify the peer certificate").syntax("yes | no")
                .help("yes|no verify peer certificate").defaults("no").implemented().build());
    }

    /** jstunnel extensions, each named in {@link #EXTENSIONS}. */
    private static void extensions(List<OptionSpec> t) {
        t.add(g("drainTimeout", INTEGER).about("on SIGTERM, seconds to let established connections finish")
                .syntax("SECONDS").help("seconds to drain connections on SIGTERM").defaults("0")
                .check(ValueChecks.integer(0, Integer.MAX_VALUE, "Illegal drain timeout")).implemented()
                .note("jstunnel extension. 0: stunnel's behaviour (SIGTERM ends every connection at once). Otherwise "
                        + "SIGTERM stops accepting (listeners closed), waits up to this long for the established "
                        + "connections to end, then ends the rest and exits; each step is logged").build());
        t.add(s("reusePort", BOOLEAN).about("bind the accept address with SO_REUSEPORT").syntax("yes | no")
                .help("yes|no SO_REUSEPORT on the listener").defaults("no").implemented()
                .note("jstunnel extension. A new process binds the same port while the old one drains (rolling "
                        + "restart); the kernel spreads new connections over both. Without "
                        + "net.ipv4.tcp_migrate_req=1 a connection still queued on a listener that closes is reset")
                .build());
        t.add(s("acceptProxy", ENUM).about("read a PROXY protocol header from the client first")
                .syntax("no | v1 | v2 | any").help("no|v1|v2|any inbound PROXY protocol header").defaults("no")
                .check(ValueChecks.oneOf("Illegal acceptProxy value", "no", "v1", "v2", "any")).implemented()
                .note("jstunnel extension (stunnel only sends PROXY v1). The header's source address replaces the "
                        + "peer's in log lines, exec's REMOTE_HOST/REMOTE_PORT and an outbound protocol = proxy "
                        + "header; its LOCAL command (health checks) and UNKNOWN keep the real addresses. Only "
                        + "from acceptProxyFrom addresses; a connection from elsewhere, or without a valid header "
                        + "within 3 s, is closed").build());
        t.add(s("acceptProxyFrom", STRING).about("addresses allowed to send a PROXY protocol header")
                .syntax("ADDRESS[/PREFIX]").help("trusted balancer address (repeat for more)").repeatable()
                .check(ValueChecks.nonEmpty("Illegal acceptProxyFrom address")).implemented()
                .note("jstunnel extension. IPv4 or IPv6 address with an optional prefix length; required with "
                        + "acceptProxy").build());
        t.add(s("ticketKeyFile", PATH).about("session ticket key ring in HAProxy's tls-ticket-keys format")
                .syntax("FILE").help("file of base64 ticket keys (previous, current, next)")
                .check(TicketKeyFile.check()).implemented()
                .note("jstunnel extension. Lines of 48 or 80 base64-decoded bytes (name, AES key, HMAC key); the "
                        + "last 3 are the ring, the second to last encrypts; a ticket under another ring key is "
                        + "renewed, an unknown key name means a full handshake. Re-read on reload (SIGHUP) and "
                        + "when its content changes (checked every 2 s: fits a mounted Secret). With "
                        + "ticketKeySecret/ticketMacSecret also set, the ring encrypts and the secrets still "
                        + "decrypt stunnel's tickets (migration). Server mode only").build());
    }

    private static OptionSpec timeout(String name, String about, String dflt, String help, String reason) {
        return s(name, INTEGER).about(about).syntax("SECONDS").help(help).defaults(dflt).implemented()
                .check(ValueChecks.integer(0, Integer.MAX_VALUE, reason))
                .note("negative values are rejected (stunnel lets them through)").build();
    }
}
