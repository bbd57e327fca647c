package org.jstunnel.ssl;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jstunnel.log.Log;

/**
 * What one connection's OpenSSL callbacks ask Java: certificate verification (delegated to the
 * {@link CertificateVerifier}), SNI routing to a slave service, the client session cache, PSK keys,
 * and log lines from native code. Runs on the thread inside the SSL call, which has the connection's
 * log context.
 */
final class SslUpcalls implements SslCallbacks {
    private final SslContext master;
    private final CertificateVerifier verifier;
    private volatile SslContext current;
    private volatile SslContext slave;      // retained after an SNI switch, released on close
    private volatile Object sniTarget;
    private volatile boolean pskUsed;
    private volatile String destination;    // client: where the session cache entry belongs

    SslUpcalls(SslContext context, CertificateVerifier verifier) {
        this.master = context;
        this.current = context;
        this.verifier = verifier;
        if (verifier != null) {
            verifier.use(context.settings(), context.extras());
            verifier.useContext(context.handle());
        }
    }

    SslContext current() { return current; }

    /** The slave service the handshake switched to (SNI), or null. */
    Object sniTarget() { return sniTarget; }

    /** A PSK identity was found: the handshake is a PSK one, not a resumption (stunnel's c->flag.psk). */
    boolean pskUsed() { return pskUsed; }

    void destination(String d) { destination = d; }

    void release() {
        SslContext s = slave;
        slave = null;
        if (s != null) s.release();
    }

    @Override
    public boolean verify(boolean preverifyOk, int depth, int error, long storeCtx) {
        return verifier == null || verifier.verify(preverifyOk, depth, error, storeCtx);
    }

    @Override
    public byte[] ocspStaple() {
        return current.ocspStaple();
    }

    @Override
    public boolean ocspStapled(long ssl, boolean reused) {
        return verifier == null || verifier.stapled(ssl, reused);
    }

    @Override
    public void log(int level, String message) {
        Log.log(level, message);
    }

    @Override
    public long servername(byte[] name) {
        List<SniRoute> routes = master.sniRoutes();
        if (routes.isEmpty()) {
            Log.debug("SNI: no virtual services defined");
            return NativeTls.SERVERNAME_NO_SWITCH;
        }
        if (name == null) {
            Log.notice("SNI: no servername received");
            return NativeTls.SERVERNAME_NOACK;
        }
        String requested = new String(name, StandardCharsets.ISO_8859_1);
        Log.info("SNI: requested servername: " + printable(requested));
        for (SniRoute r : routes) {
            if (!SniRoute.matches(requested, r.pattern())) continue;
            Log.debug("SNI: matched pattern: " + r.pattern());
            if (slave != null || !r.context().tryRetain()) {
                // the slave went away in a reload a moment ago: stay with the master
                Log.err("SNI: service of pattern " + r.pattern() + " is no longer available");
                return NativeTls.SERVERNAME_NO_SWITCH;
            }
            slave = r.context();
            current = slave;
            sniTarget = r.target();
            if (verifier != null) {
                verifier.use(slave.settings(), slave.extras());
                verifier.useContext(slave.handle());
            }
            Log.notice("SNI: switched to service [" + slave.settings().serviceName() + "]");
            return slave.handle();
        }
        Log.err("SNI: no pattern matched servername: " + printable(requested));
        return NativeTls.SERVERNAME_NO_SWITCH;
    }

    @Override
    public void newSession(long session) {
        String d = destination;
        if (d != null) current.clientSessions().put(d, session);
    }

    @Override
    public byte[] pskServerKey(byte[] identity) {
        PskTable psk = current.extras().psk();
        byte[] key = psk == null ? null : psk.find(identity);
        if (key == null) {
            Log.info("PSK identity not found (session resumption?)");
            return null;
        }
        Log.notice("Key configured for PSK identity \"" + printable(new String(identity, StandardCharsets.ISO_8859_1)) + "\"");
        pskUsed = true;
        return key;
    }

    @Override
    public byte[] pskClient() {
        PskTable psk = current.extras().psk();
        if (psk == null) {
            Log.err("INTERNAL ERROR: No PSK identity selected");
            return null;
        }
        Log.info("PSK client configured for identity \"" + psk.selected().identity() + "\"");
        return psk.clientBlob();
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) b.append(c >= 0x20 && c < 0x7f ? c : '.');
        return b.toString();
    }
}
