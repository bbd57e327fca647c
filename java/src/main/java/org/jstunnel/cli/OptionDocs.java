package org.jstunnel.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The configuration options as {@code -help} and {@code -version} describe them: stunnel's order,
 * stunnel's one-line descriptions (as stunnel 5.68 prints them on Linux, limited to the options of the
 * stunnel 5.63 manual this project implements: no CAengine, no Windows-only or FIPS options), and
 * the defaults {@code -version} prints.
 *
 * <p>The defaults are stunnel's compile-time defaults on Linux, which are jstunnel's too.
 */
public final class OptionDocs {
    private OptionDocs() {}

    /**
     * One option. {@code help} is the text after {@code "name = "}; {@code continuation} lines are
     * printed indented by 25 spaces below it; {@code defaults} are the values {@code -version} prints,
     * one line each (empty: nothing printed).
     */
    public record Doc(boolean global, String name, String help, List<String> continuation, List<String> defaults) {
        public Doc {
            continuation = List.copyOf(continuation);
            defaults = List.copyOf(defaults);
        }
    }

    private static final List<Doc> ALL = new ArrayList<>();

    private static void g(String name, String help, String... defaults) {
        ALL.add(new Doc(true, name, help, List.of(), List.of(defaults)));
    }

    private static void s(String name, String help, String... defaults) {
        ALL.add(new Doc(false, name, help, List.of(), List.of(defaults)));
    }

    private static void sMore(String name, String help, String... continuation) {
        ALL.add(new Doc(false, name, help, List.of(continuation), List.of()));
    }

    static {
        g("chroot", "directory to chroot stunnel process");
        g("compression", "compression type");
        g("EGD", "path to Entropy Gathering Daemon socket");
        g("engine", "auto|engine_id");
        g("engineCtrl", "cmd[:arg]");
        g("engineDefault", "TASK_LIST");
        g("foreground", "yes|quiet|no foreground mode (don't fork, log to stderr)");
        g("log", "append|overwrite log file");
        g("output", "file to append log messages");
        g("pid", "pid file");
        g("RNDbytes", "bytes to read from random seed files", "1024");
        g("RNDfile", "path to file with random seed data", "/dev/urandom");
        g("RNDoverwrite", "yes|no overwrite seed datafiles with new random data", "yes");
        g("syslog", "yes|no send logging messages to syslog");

        s("accept", "[host:]port accept connections on specified host:port");
        s("CApath", "CA certificate directory for 'verify' option");
        s("CAfile", "CA certificate file for 'verify' option");
        s("cert", "certificate chain");
        s("checkEmail", "peer certificate email address");
        s("checkHost", "peer certificate host name pattern");
        s("checkIP", "peer certificate IP address");
        s("ciphers", "permitted ciphers for TLS 1.2 or older", "HIGH:!aNULL:!SSLv2:!DH:!kDHEPSK");
        s("ciphersuites", "permitted ciphersuites for TLS 1.3",
            "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256 (with TLSv1.3)");
        s("client", "yes|no client mode (remote service uses TLS)");
        s("config", "command[:parameter] to execute");
        s("connect", "[host:]port to connect");
        s("CRLpath", "CRL directory");
        s("CRLfile", "CRL file");
        s("curves", "ECDH curve names", "X25519:P-256:X448:P-521:P-384");
        s("debug", "[facility].level (e.g. daemon.info)", "daemon.notice");
        s("delay", "yes|no delay DNS lookup for 'connect' option");
        s("engineId", "ID of engine to read the key from");
        s("engineNum", "number of engine to read the key from");
        s("exec", "file execute local inetd-type program");
        s("execArgs", "arguments for 'exec' (including $0)");
        s("failover", "rr|prio failover strategy");
        s("ident", "username for IDENT (RFC 1413) checking");
        s("include", "directory with configuration file snippets");
        s("key", "certificate private key");
        s("libwrap", "yes|no use /etc/hosts.allow and /etc/hosts.deny");
        s("local", "IP address to be used as source for remote connections");
        s("logId", "connection identifier type", "sequential");
        s("OCSP", "OCSP responder URL");
        s("OCSPaia", "yes|no check the AIA responders from certificates");
        s("OCSPflag", "OCSP responder flags");
        s("OCSPnonce", "yes|no send and verify the OCSP nonce extension");
        s("options", "TLS option to set/reset", "NO_SSLv2", "NO_SSLv3");
        sMore("protocol", "protocol to negotiate before TLS initialization",
            "currently supported: cifs, connect, imap,",
            "    nntp, pgsql, pop3, proxy, smtp, socks");
        s("protocolAuthentication", "authentication type for protocol negotiations");
        s("protocolDomain", "domain for protocol negotiations");
        s("protocolHeader", "custom header for protocol negotiations");
        s("protocolHost", "host:port for protocol negotiations");
        s("protocolPassword", "password for protocol negotiations");
        s("protocolUsername", "username for protocol negotiations");
        s("PSKidentity", "identity for PSK authentication");
        s("PSKsecrets", "secrets for PSK authentication");
        s("pty", "yes|no allocate pseudo terminal for 'exec' option");
        s("redirect", "[host:]port to redirect on authentication failures");
        s("renegotiation", "yes|no support renegotiation");
        s("requireCert", "yes|no require client certificate");
        s("reset", "yes|no send TCP RST on error");
        s("retry", "yes|no retry connect+exec section");
        s("securityLevel", "set the security level", "2");
        s("service", "service name");
        s("setgid", "groupname for setgid()");
        s("setuid", "username for setuid()");
        s("sessionCacheSize", "session cache size", "1000");
        s("sessionCacheTimeout", "session cache timeout (in seconds)", "300 seconds");
        s("sessionResume", "yes|no enable session resumption");
        s("sessiond", "[host:]port use sessiond at host:port");
        s("sni", "primary_service:host_name for an SNI virtual service");
        sMore("socket", "a|l|r:option=value[:value]",
            "set an option on accept/local/remote socket");
        s("sslVersion", "all|SSLv3|TLSv1|TLSv1.1|TLSv1.2|TLSv1.3 TLS version");
        s("sslVersionMax", "all|SSLv3|TLSv1|TLSv1.1|TLSv1.2|TLSv1.3 TLS version");
        s("sslVersionMin", "all|SSLv3|TLSv1|TLSv1.1|TLSv1.2|TLSv1.3 TLS version");
        s("stack", "thread stack size (in bytes)", "65536 bytes");
        s("ticketKeySecret", "secret key for encryption/decryption TLSv1.3 tickets");
        s("ticketMacSecret", "key for HMAC operations on TLSv1.3 tickets");
        s("TIMEOUTbusy", "seconds to wait for expected data", "300 seconds");
        s("TIMEOUTclose", "seconds to wait for close_notify", "60 seconds");
        s("TIMEOUTconnect", "seconds to connect remote host", "10 seconds");
        s("TIMEOUTidle", "seconds to keep an idle connection", "43200 seconds");
        s("transparent", "none|source|destination|both transparent proxy mode");
        s("verify", "level of peer certificate verification", "none");
        s("verifyChain", "yes|no verify certificate chain");
        s("verifyPeer", "yes|no verify peer certificate");
    }

    private static final List<Doc> VIEW = List.copyOf(ALL);

    /** Every option, global ones first, in stunnel's order. */
    public static List<Doc> all() { return VIEW; }
}
