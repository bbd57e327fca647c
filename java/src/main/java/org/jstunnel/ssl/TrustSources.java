package org.jstunnel.ssl;

import org.jstunnel.log.Log;

/**
 * stunnel 5.75's trust sources besides CAfile/CApath (verify.c init_ca): {@code CAstore}, an
 * OSSL_STORE URI, and {@code CAengine}, certificates the service's engine returns through
 * LOAD_CERT_CTRL. Both go into the context's trust store and, on a server, its client CA list.
 * As stunnel, a source that fails is logged and skipped; "No trusted certificates found" follows
 * when no source gave anything.
 */
final class TrustSources {
    private TrustSources() {}

    /** How many of CAstore and the CAengine certificates loaded (logged failures count nothing). */
    static int load(long ctx, TlsSettings s, TlsExtras x) throws TlsConfigException {
        int loaded = 0;
        if (x.caStore() != null && store(ctx, s, x.caStore())) loaded++;
        if (!x.caEngine().isEmpty()) loaded += engine(ctx, s, x);
        return loaded;
    }

    private static boolean store(long ctx, TlsSettings s, String uri) {
        try {
            NativeTrust.SSL_CTX_load_verify_store(ctx, uri);
            Log.debug("Loaded CA certificates from store: " + Secrets.identifier(uri));
        } catch (OpenSslException e) {
            OcspResponse.sslError("SSL_CTX_load_verify_store", e);
            return false;
        }
        if (s.client()) return true;
        try {
            NativeTrust.SSL_CTX_add_store_client_CA(ctx, uri);
        } catch (OpenSslException e) {
            OcspResponse.sslError("SSL_add_store_cert_subjects_to_stack", e);
        }
        return true;
    }

    private static int engine(long ctx, TlsSettings s, TlsExtras x) throws TlsConfigException {
        int loaded = 0;
        Engine engine = KeyLoader.engineSelected(s) ? KeyLoader.engineOf(s) : null;
        for (String id : x.caEngine()) {
            long cert = 0;
            try {
                if (engine == null) throw new OpenSslException("ENGINE_ctrl_cmd", new String[0]);
                cert = engine.loadCertificate(id);
                NativeTrust.X509_STORE_add_cert(ctx, cert);
                if (!s.client()) NativeTrust.SSL_CTX_add_client_CA(ctx, cert);
                Log.info("CAengine loaded \"" + Secrets.identifier(id) + "\": " + NativeCrypto.X509_get_subject_name(cert));
                loaded++;
            } catch (OpenSslException e) {
                if (!e.queue().isEmpty()) OcspResponse.sslError(e.call(), e);
                Log.err("CAengine failed to retrieve \"" + Secrets.identifier(id) + "\"");
            } finally {
                if (cert != 0) NativeCrypto.X509_free(cert);
            }
        }
        return loaded;
    }
}
