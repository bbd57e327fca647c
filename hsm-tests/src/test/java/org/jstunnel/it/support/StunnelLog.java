package org.jstunnel.it.support;

import java.util.regex.Pattern;

/**
 * The log lines the suite relies on, in stunnel 5.x's wording (validated against Debian's stunnel
 * 5.68). Each pattern matches the text after {@code LOGn[ID]: }.
 */
public final class StunnelLog {
    /** LOG6 once all services are bound: readiness. */
    public static final Pattern READY = TunnelProcess.READY;
    /** LOG6 after the server-mode handshake. */
    public static final Pattern TLS_ACCEPTED = Pattern.compile("TLS accepted: new session negotiated");
    /** LOG6 after the client-mode handshake. */
    public static final Pattern TLS_CONNECTED = Pattern.compile("TLS connected: new session negotiated");
    /**
     * LOG5 at the end of every connection. The status is {@code closed}, {@code reset} (both sockets reset),
     * {@code reset/closed} (server mode: plain remote socket reset) or {@code closed/reset} (client mode:
     * plain local socket reset), see stunnel's client.c.
     */
    public static final Pattern CONNECTION_END = Pattern.compile(
            "Connection (closed|reset|reset/closed|closed/reset): (\\d+) byte\\(s\\) sent to TLS, (\\d+) byte\\(s\\) sent to socket");
    /** LOG5 after SIGTERM. */
    public static final Pattern TERMINATED = Pattern.compile("Terminated");
    /** LOG3 when a configuration cannot be loaded (at start, on stderr; on reload, in the log). */
    public static final Pattern CONFIGURATION_FAILED = Pattern.compile("Configuration failed");
    /** LOG3 after a failed reload (SIGHUP); the old configuration stays in force. */
    public static final Pattern RELOAD_FAILED = Pattern.compile("Failed to reload the configuration file");
    /** LOG5 after a configuration was loaded (at start and on every successful reload). */
    public static final Pattern CONFIGURATION_SUCCESSFUL = Pattern.compile("Configuration successful");

    /** LOG4: verifyPeer found the peer's certificate not in CAfile/CApath. */
    public static final Pattern CERT_NOT_IN_LOCAL_REPOSITORY = Pattern.compile("CERT: Certificate not found in local repository");

    private StunnelLog() {
    }

    public static Pattern accepted(String service) {
        return Pattern.compile("Service \\[" + Pattern.quote(service) + "\\] accepted connection from 127\\.0\\.0\\.1:\\d+");
    }

    public static Pattern accepted(String service, int clientPort) {
        return Pattern.compile("Service \\[" + Pattern.quote(service) + "\\] accepted connection from 127\\.0\\.0\\.1:" + clientPort);
    }

    /** LOG5 once the outgoing TCP connection is up. */
    public static Pattern sConnectConnected(int targetPort) {
        return Pattern.compile("s_connect: connected 127\\.0\\.0\\.1:" + targetPort);
    }

    /** LOG5; {@code localPort} is the tunnel's source port of the outgoing connection. */
    public static Pattern connectedRemote(String service, int localPort) {
        return Pattern.compile("Service \\[" + Pattern.quote(service) + "\\] connected remote server from 127\\.0\\.0\\.1:" + localPort);
    }

    /** As {@link #connectedRemote(String, int)} for any source port. */
    public static Pattern connectedRemote(String service) {
        return Pattern.compile("Service \\[" + Pattern.quote(service) + "\\] connected remote server from 127\\.0\\.0\\.1:\\d+");
    }

    public static Pattern closed(long sentToTls, long sentToSocket) {
        return Pattern.compile("Connection closed: " + sentToTls + " byte\\(s\\) sent to TLS, "
                + sentToSocket + " byte\\(s\\) sent to socket");
    }

    /** LOG6, e.g. {@code TLSv1.3 ciphersuite: TLS_AES_256_GCM_SHA384 (256-bit encryption)}. */
    public static Pattern ciphersuite(String protocol, String cipher) {
        return Pattern.compile(Pattern.quote(protocol) + " ciphersuite: " + Pattern.quote(cipher) + " \\(\\d+-bit encryption\\)");
    }

    /** LOG5 (depth 0) / LOG6 (CA): a certificate passed verification. */
    public static Pattern certificateAccepted(int depth, String commonName) {
        return Pattern.compile("Certificate accepted at depth=" + depth + ": CN=" + Pattern.quote(commonName));
    }

    /** LOG4: a certificate failed verification. */
    public static Pattern rejectedByCert(int depth, String commonName) {
        return Pattern.compile("Rejected by CERT at depth=" + depth + ": CN=" + Pattern.quote(commonName));
    }

    /** {@code SERVICE bound to ADDR:PORT} for one service. */
    public static Pattern bound(String service, int port) {
        return Pattern.compile("Service \\[" + Pattern.quote(service) + "\\] \\(FD=\\d+\\) bound to 127\\.0\\.0\\.1:" + port);
    }

    /** An OpenSSL failure logged by stunnel, e.g. {@code SSL_accept: ...: error:0A0000C7:SSL routines::peer did not return a certificate}. */
    public static Pattern sslError(String function, String reason) {
        return Pattern.compile(Pattern.quote(function) + ": .*" + Pattern.quote(reason));
    }
}
