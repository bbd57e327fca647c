package org.jstunnel.ssl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jstunnel.log.Log;

/**
 * The parts of stunnel's context_init that issue 3 added (ctx.c and verify.c), called by
 * {@link SslContext} at the points where stunnel does them: tickets and the session cache, SSL_CONF
 * commands, PSK, CRLs, client CA names, DH parameters.
 */
final class ContextSetup {
    private static final long NO_TICKET = SslOptionNames.parse("NO_TICKET");

    private ContextSetup() {}

    /** Before the user's options: a server without resumption sends no TLS 1.2 ticket at all. */
    static void ticketDefault(long ctx, TlsSettings s, TlsExtras x) {
        if (!s.client() && !x.sessionResume()) NativeSsl.SSL_CTX_set_options(ctx, NO_TICKET);
    }

    /** ctx.c conf_init: each {@code config = COMMAND[:PARAMETER]} through SSL_CONF_cmd. */
    static void conf(long ctx, TlsSettings s, TlsExtras x) throws OpenSslException, TlsConfigException {
        if (x.config().isEmpty()) return;
        long cctx = NativeTls.SSL_CONF_CTX_new(ctx, s.client());
        try {
            for (String line : x.config()) {
                int colon = line.indexOf(':');
                String cmd = colon < 0 ? line : line.substring(0, colon);
                String param = colon < 0 ? null : line.substring(colon + 1);
                switch (NativeTls.SSL_CONF_cmd(cctx, cmd, param)) {
                    case 2 -> Log.debug("OpenSSL config \"" + cmd + "\" set to \"" + param + "\"");
                    case 1 -> Log.debug("OpenSSL config command \"" + cmd + "\" executed");
                    case -2 -> throw new TlsConfigException("OpenSSL config command \"" + cmd + "\" was not recognised");
                    case -3 -> throw new TlsConfigException("OpenSSL config command \"" + cmd + "\" requires a parameter");
                    default -> throw new TlsConfigException("OpenSSL config command \"" + cmd + "\" failed");
                }
            }
            NativeTls.SSL_CONF_CTX_finish(cctx);
        } finally {
            NativeTls.SSL_CONF_CTX_free(cctx);
        }
    }

    /** Ticket callbacks, ticket keys, and the session cache, as context_init sets them up. */
    static void sessions(long ctx, TlsSettings s, TlsExtras x) throws OpenSslException {
        NativeTls.SSL_CTX_set_session_callbacks(ctx, !s.client());
        if (!s.client() && x.ticketKey() != null && x.ticketMac() != null)
            NativeTls.SSL_CTX_set_ticket_keys(ctx, x.ticketKey(), x.ticketMac());
        if (!s.client()) {
            // suppress all tickets (stateful and stateless) in TLSv1.3
            if (!x.sessionResume()) NativeTls.SSL_CTX_set_num_tickets(ctx, 0);
            // sessions resume only within the same service
            NativeSsl.SSL_CTX_set_session_id_context(ctx, sessionIdContext(s.serviceName()));
        }
        NativeTls.SSL_CTX_set_session_cache_mode(ctx, x.sessionResume()
            ? NativeTls.SSL_SESS_CACHE_BOTH | NativeTls.SSL_SESS_CACHE_NO_INTERNAL_STORE
            : NativeTls.SSL_SESS_CACHE_OFF);
        Log.info("Session resumption " + (x.sessionResume() ? "enabled" : "disabled"));
        NativeTls.SSL_CTX_sess_set_cache_size(ctx, x.sessionCacheSize());
        NativeTls.SSL_CTX_set_timeout(ctx, x.sessionCacheTimeout());
    }

    static byte[] sessionIdContext(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return b.length <= 32 ? b : Arrays.copyOf(b, 32); // SSL_MAX_SSL_SESSION_ID_LENGTH
    }

    /** ctx.c auth_init: the PSK callback of the service's mode. */
    static void psk(long ctx, TlsSettings s, TlsExtras x) {
        if (x.psk() != null) NativeTls.SSL_CTX_set_psk_callback(ctx, !s.client());
    }

    /** verify.c set_client_CA_list's log lines. */
    static void logClientCaList(long ctx, String caFile) {
        Log.debug("Client CA list: " + caFile);
        String[] names = NativeTls.SSL_CTX_get_client_CA_names(ctx);
        if (names == null) {
            Log.info("No client CA list");
        } else if (names.length == 0) {
            Log.info("Empty client CA list");
        } else {
            for (String n : names) Log.info("Client CA: " + n);
        }
    }

    /** ocsp.c ocsp_init (5.75): the status callback of a client or a server; a PSK server staples nothing. */
    static void ocsp(long ctx, TlsSettings s, TlsExtras x) throws OpenSslException {
        if (s.client()) {
            NativeOcsp.SSL_CTX_set_tlsext_status_cb(ctx, false);
            Log.debug("OCSP: Client OCSP stapling enabled");
        } else if (x.psk() != null) {
            Log.notice("OCSP: Server OCSP stapling is incompatible with PSK");
        } else {
            NativeOcsp.SSL_CTX_set_tlsext_status_cb(ctx, true);
            Log.debug("OCSP: Server OCSP stapling enabled");
        }
    }

    /** Whether the context fetches and staples its own OCSP response (a server without PSK). */
    static boolean staples(TlsSettings s, TlsExtras x) {
        return !s.client() && x.psk() == null;
    }

    /** verify.c crl_init: CRLfile and CRLpath lookups, then X509_V_FLAG_CRL_CHECK. */
    static void crl(long ctx, TlsExtras x) throws OpenSslException {
        if (x.crlFile() == null && x.crlPath() == null) return;
        if (x.crlFile() != null) {
            try {
                NativeTls.X509_load_crl_file(ctx, x.crlFile());
            } catch (OpenSslException e) {
                Log.err("Failed to load " + x.crlFile() + " revocation lookup file");
                throw e;
            }
            Log.debug("Loaded " + x.crlFile() + " revocation lookup file");
        }
        if (x.crlPath() != null) {
            try {
                NativeTls.X509_LOOKUP_add_dir(ctx, x.crlPath());
            } catch (OpenSslException e) {
                Log.err("Failed to add " + x.crlPath() + " revocation lookup directory");
                throw e;
            }
            Log.debug("Added " + x.crlPath() + " revocation lookup directory");
        }
        NativeTls.X509_STORE_set_crl_check(ctx);
    }

    /**
     * ctx.c dh_init: only a server whose cipher list has a DH key exchange needs parameters; they come
     * from the certificate file when it has a "DH PARAMETERS" block, else OpenSSL's built-in groups
     * (stunnel's "dynamic" parameters). Failures are not fatal, as in stunnel.
     */
    static void dh(long ctx, TlsSettings s) {
        if (s.client()) {
            Log.info("DH initialization skipped: client section");
            return;
        }
        String cipher = NativeTls.SSL_CTX_first_dh_cipher(ctx);
        if (cipher == null) {
            Log.info("DH initialization skipped: no DH ciphersuites");
            return;
        }
        Log.info("DH initialization needed for " + cipher);
        Log.debug("DH initialization");
        int bits = 0;
        if (s.cert() != null && !KeyLoader.handles(s)) {
            bits = NativeTls.SSL_CTX_load_dh_file(ctx, s.cert());
            Log.debug(bits > 0 ? "Using DH parameters from " + s.cert() : "Could not load DH parameters from " + s.cert());
        } else {
            Log.debug("No certificate available to load DH parameters");
        }
        if (bits > 0) {
            Log.info(bits + "-bit DH parameters loaded");
            return;
        }
        try {
            NativeTls.SSL_CTX_set_dh_auto(ctx);
            Log.info("Using dynamic DH parameters");
        } catch (OpenSslException e) {
            for (String line : e.logLines()) Log.err(line);
        }
    }
}
