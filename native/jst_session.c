/*
 * Sessions and tickets as stunnel's ctx.c sets them up: the cache mode, size and timeout, the new
 * session callback (client-side cache in Java), stunnel's ticket application data (TICKET_DATA), and
 * the ticket key callback of ticketKeySecret/ticketMacSecret.
 */
#include <string.h>
#include <openssl/rand.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include "jst_tls.h"
#include "org_jstunnel_ssl_NativeTls.h"

#define CTX(p) ((SSL_CTX *)JST_PTR(p))
#define SSLP(p) ((SSL *)JST_PTR(p))

int jst_servername_callback(SSL *ssl, int *ad, void *arg); /* jst_sni.c */
void jst_sessiond_new(SSL *ssl, SSL_SESSION *sess);       /* jst_sessiond.c */

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1set_1session_1cache_1mode(JNIEnv *env, jclass cls, jlong ctx, jint mode)
{
    (void)env; (void)cls;
    SSL_CTX_set_session_cache_mode(CTX(ctx), mode);
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1sess_1set_1cache_1size(JNIEnv *env, jclass cls, jlong ctx, jlong size)
{
    (void)env; (void)cls;
    SSL_CTX_sess_set_cache_size(CTX(ctx), (long)size);
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1set_1timeout(JNIEnv *env, jclass cls, jlong ctx, jlong seconds)
{
    (void)env; (void)cls;
    SSL_CTX_set_timeout(CTX(ctx), (long)seconds);
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1set_1num_1tickets(JNIEnv *env, jclass cls, jlong ctx, jint n)
{
    (void)cls;
    ERR_clear_error();
    if (n < 0 || SSL_CTX_set_num_tickets(CTX(ctx), (size_t)n) != 1)
        jst_throw_ssl(env, "SSL_CTX_set_num_tickets");
}

static void hex(const unsigned char *p, unsigned int n, char *out, size_t size)
{
    static const char digits[] = "0123456789ABCDEF";
    unsigned int i;

    for (i = 0; i < n && 2 * (size_t)i + 2 < size; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 0xf];
    }
    out[2 * i] = '\0';
}

/*
 * stunnel's new_chain: the first peer certificate chain a service sees is remembered (its PEM size
 * logged); until then every new session without a peer certificate says so.
 */
static void note_peer_chain(SSL *ssl)
{
    SSL_CTX *ctx = SSL_get_SSL_CTX(ssl);
    STACK_OF(X509) *sk;
    X509 *peer;
    BIO *bio;
    long len;
    int i;

    if (jst_ex_ctx_chain < 0 || SSL_CTX_get_ex_data(ctx, jst_ex_ctx_chain) != NULL)
        return;
    bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return;
    sk = SSL_get_peer_cert_chain(ssl);
    for (i = 0; sk != NULL && i < sk_X509_num(sk); i++)
        PEM_write_bio_X509(bio, sk_X509_value(sk, i));
    if (sk == NULL || SSL_is_server(ssl)) {
        peer = SSL_get0_peer_certificate(ssl);
        if (peer != NULL)
            PEM_write_bio_X509(bio, peer);
    }
    len = (long)BIO_ctrl_pending(bio);
    BIO_free(bio);
    if (len <= 0) {
        jst_tls_log(ssl, JST_LOG_INFO, "No peer certificate received");
        return;
    }
    SSL_CTX_set_ex_data(ctx, jst_ex_ctx_chain, (void *)1);
    jst_tls_log(ssl, JST_LOG_DEBUG, "Peer certificate was cached (%ld bytes)", len);
}

/* stunnel's sess_new_cb: client sessions go to the per-destination cache (Java), the id is logged */
static int new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
    char id_text[2 * SSL_MAX_SSL_SESSION_ID_LENGTH + 1];
    const unsigned char *id;
    unsigned int id_len;
    JNIEnv *env;
    jobject cb;

    jst_tls_log(ssl, JST_LOG_DEBUG, "New session callback");
    note_peer_chain(ssl);
    if (!SSL_is_server(ssl) && (cb = jst_tls_callbacks(ssl, &env)) != NULL) {
        jclass cls = (*env)->GetObjectClass(env, cb);
        jmethodID mid = (*env)->GetMethodID(env, cls, "newSession", "(J)V");

        (*env)->DeleteLocalRef(env, cls);
        if (mid != NULL)
            (*env)->CallVoidMethod(env, cb, mid, (jlong)(intptr_t)sess);
        jst_tls_upcall_failed(env);
    }
    jst_sessiond_new(ssl, sess);
    id = SSL_SESSION_get_id(sess, &id_len);
    hex(id, id_len, id_text, sizeof(id_text));
    jst_tls_log(ssl, JST_LOG_INFO, "Session id: %s", id_text);
    return 0; /* the caller keeps no reference for us: Java took its own */
}

/*
 * stunnel's TICKET_DATA is one pointer ("session authenticated", non-NULL for a new session), stored
 * as the ticket's application data. stunnel refuses a ticket whose data has another length, so
 * jstunnel writes the same: a ticket from either resumes on the other when they share ticket keys.
 */
typedef struct {
    void *session_authenticated;
} ticket_data;

static int generate_ticket_cb(SSL *ssl, void *arg)
{
    ticket_data data;
    SSL_SESSION *sess;
    int r;

    (void)arg;
    jst_tls_log(ssl, JST_LOG_DEBUG, "Generate session ticket callback");
    sess = SSL_get1_session(ssl);
    if (sess == NULL)
        return 0;
    memset(&data, 0, sizeof(data));
    data.session_authenticated = (void *)(intptr_t)-1;
    r = SSL_SESSION_set1_ticket_appdata(sess, &data, sizeof(data));
    SSL_SESSION_free(sess);
    return r;
}

static SSL_TICKET_RETURN decrypt_ticket_cb(SSL *ssl, SSL_SESSION *sess, const unsigned char *keyname,
                                           size_t keyname_len, SSL_TICKET_STATUS status, void *arg)
{
    ticket_data *data = NULL;
    size_t len = 0;

    (void)keyname; (void)keyname_len; (void)arg;
    jst_tls_log(ssl, JST_LOG_DEBUG, "Decrypt session ticket callback");
    switch (status) {
    case SSL_TICKET_EMPTY:
    case SSL_TICKET_NO_DECRYPT:
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    case SSL_TICKET_SUCCESS:
    case SSL_TICKET_SUCCESS_RENEW:
        break;
    default:
        return SSL_TICKET_RETURN_ABORT;
    }
    if (!SSL_SESSION_get0_ticket_appdata(sess, (void **)&data, &len)) {
        jst_tls_log(ssl, JST_LOG_WARNING, "Failed to get ticket application data");
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    if (data == NULL) {
        jst_tls_log(ssl, JST_LOG_WARNING, "Invalid ticket application data value");
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    if (len != sizeof(ticket_data)) {
        jst_tls_log(ssl, JST_LOG_WARNING, "Invalid ticket application data length");
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    jst_tls_log(ssl, JST_LOG_INFO, "Decrypted ticket for an authenticated session: %s",
                data->session_authenticated != NULL ? "yes" : "no");
    return status == SSL_TICKET_SUCCESS ? SSL_TICKET_RETURN_USE : SSL_TICKET_RETURN_USE_RENEW;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1set_1session_1callbacks(JNIEnv *env, jclass cls, jlong ctx, jboolean server)
{
    (void)cls;
    ERR_clear_error();
    if (!jst_tls_init()) {
        jst_throw_ssl(env, "SSL_get_ex_new_index");
        return;
    }
    if (SSL_CTX_set_session_ticket_cb(CTX(ctx), generate_ticket_cb, decrypt_ticket_cb, NULL) != 1) {
        jst_throw_ssl(env, "SSL_CTX_set_session_ticket_cb");
        return;
    }
    SSL_CTX_sess_set_new_cb(CTX(ctx), new_session_cb);
    if (server)
        SSL_CTX_set_tlsext_servername_callback(CTX(ctx), jst_servername_callback);
}

/*
 * stunnel's ssl_tlsext_ticket_key_cb, on OpenSSL 3's EVP_MAC interface (same HMAC-SHA256). The key
 * ring of ticketKeyFile (jst_ticket_ring.c) comes first; ticketKeySecret/ticketMacSecret decrypt
 * what the ring has no name for (stunnel's tickets carry no meaningful name).
 */
int jst_ticket_key_cb(SSL *ssl, unsigned char *key_name, unsigned char *iv, EVP_CIPHER_CTX *cctx,
                      EVP_MAC_CTX *hctx, int enc)
{
    struct jst_ticket_keys *k = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), jst_ex_ctx_tickets);
    OSSL_PARAM params[2];
    const EVP_CIPHER *cipher;
    int ring;

    jst_tls_log(ssl, JST_LOG_DEBUG, "Session ticket processing callback");
    ring = jst_ticket_ring_cb(ssl, key_name, iv, cctx, hctx, enc);
    if (ring != JST_RING_NO_KEY && ring != JST_RING_UNKNOWN_NAME)
        return ring;
    if (k == NULL)
        return 0; /* this context has no keys (an SNI slave): no ticket, or a full handshake */
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (!EVP_MAC_init(hctx, k->mac, k->mac_len, params)) {
        jst_tls_log(ssl, JST_LOG_ERR, "HMAC_Init_ex failed");
        return -1;
    }
    cipher = k->key_len == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
    if (enc) { /* a new ticket */
        memset(key_name, 0, 16); /* the name is not checked on decryption (stunnel leaves it as is) */
        if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(cipher)) <= 0) {
            jst_tls_log(ssl, JST_LOG_ERR, "RAND_bytes failed");
            return -1;
        }
        if (!EVP_EncryptInit_ex(cctx, cipher, NULL, k->key, iv)) {
            jst_tls_log(ssl, JST_LOG_ERR, "EVP_EncryptInit_ex failed");
            return -1;
        }
    } else if (!EVP_DecryptInit_ex(cctx, cipher, NULL, k->key, iv)) {
        jst_tls_log(ssl, JST_LOG_ERR, "EVP_DecryptInit_ex failed");
        return -1;
    }
    /*
     * TLS 1.2: no new ticket on resumption; TLS 1.3: always a new one (stunnel returns the same). With
     * a key ring, a ticket the secrets decrypt is renewed under the ring (a cluster leaving stunnel).
     */
    return strcmp(SSL_get_version(ssl), "TLSv1.3") && ring != JST_RING_UNKNOWN_NAME ? 1 : 2;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1set_1ticket_1keys(JNIEnv *env, jclass cls, jlong ctx, jbyteArray key, jbyteArray mac)
{
    struct jst_ticket_keys *k;
    jsize key_len, mac_len;

    (void)cls;
    ERR_clear_error();
    if (!jst_tls_init()) {
        jst_throw_ssl(env, "SSL_CTX_get_ex_new_index");
        return;
    }
    key_len = (*env)->GetArrayLength(env, key);
    mac_len = (*env)->GetArrayLength(env, mac);
    if ((key_len != 16 && key_len != 32) || (mac_len != 16 && mac_len != 32)) {
        jst_throw(env, "java/lang/IllegalArgumentException", "ticket keys must be 16 or 32 bytes");
        return;
    }
    k = OPENSSL_zalloc(sizeof(*k));
    if (k == NULL) {
        jst_throw_ssl(env, "OPENSSL_zalloc");
        return;
    }
    (*env)->GetByteArrayRegion(env, key, 0, key_len, (jbyte *)k->key);
    (*env)->GetByteArrayRegion(env, mac, 0, mac_len, (jbyte *)k->mac);
    k->key_len = (size_t)key_len;
    k->mac_len = (size_t)mac_len;
    if (SSL_CTX_set_ex_data(CTX(ctx), jst_ex_ctx_tickets, k) != 1) {
        OPENSSL_clear_free(k, sizeof(*k));
        jst_throw_ssl(env, "SSL_CTX_set_ex_data");
        return;
    }
    /* from here the context owns k (freed by the ex_data free callback) */
    if (SSL_CTX_set_tlsext_ticket_key_evp_cb(CTX(ctx), jst_ticket_key_cb) != 1)
        jst_throw_ssl(env, "SSL_CTX_set_tlsext_ticket_key_evp_cb");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1SESSION_1up_1ref(JNIEnv *env, jclass cls, jlong sess)
{
    (void)env; (void)cls;
    SSL_SESSION_up_ref((SSL_SESSION *)JST_PTR(sess));
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1SESSION_1free(JNIEnv *env, jclass cls, jlong sess)
{
    (void)env; (void)cls;
    SSL_SESSION_free((SSL_SESSION *)JST_PTR(sess));
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1set_1session(JNIEnv *env, jclass cls, jlong ssl, jlong sess)
{
    (void)cls;
    ERR_clear_error();
    if (SSL_set_session(SSLP(ssl), (SSL_SESSION *)JST_PTR(sess)) != 1)
        jst_throw_ssl(env, "SSL_set_session");
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1get_1session_1id_1hex(JNIEnv *env, jclass cls, jlong ssl)
{
    char id_text[2 * SSL_MAX_SSL_SESSION_ID_LENGTH + 1];
    SSL_SESSION *sess = SSL_get_session(SSLP(ssl));
    const unsigned char *id;
    unsigned int id_len;

    (void)cls;
    if (sess == NULL)
        return NULL;
    id = SSL_SESSION_get_id(sess, &id_len);
    hex(id, id_len, id_text, sizeof(id_text));
    return (*env)->NewStringUTF(env, id_text);
}

/* stunnel's idx_cache_save: the connect address this server session used, kept with the session */
JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1SESSION_1set_1connect_1address(JNIEnv *env, jclass cls, jlong ssl, jstring address)
{
    SSL_SESSION *sess;
    const char *utf;
    char *copy;
    void *old;
    jboolean ok = JNI_FALSE;

    (void)cls;
    if (!jst_tls_init() || (sess = SSL_get1_session(SSLP(ssl))) == NULL) {
        ERR_clear_error();
        return JNI_FALSE;
    }
    utf = jst_required_string(env, address, "address");
    if (utf == NULL)
        goto done;
    copy = OPENSSL_strdup(utf);
    (*env)->ReleaseStringUTFChars(env, address, utf);
    if (copy == NULL)
        goto done;
    if (!CRYPTO_THREAD_write_lock(jst_sess_addr_lock)) {
        OPENSSL_free(copy);
        goto done;
    }
    old = SSL_SESSION_get_ex_data(sess, jst_ex_sess_addr);
    if (SSL_SESSION_set_ex_data(sess, jst_ex_sess_addr, copy) != 1) {
        CRYPTO_THREAD_unlock(jst_sess_addr_lock);
        OPENSSL_free(copy);
        goto done;
    }
    CRYPTO_THREAD_unlock(jst_sess_addr_lock);
    OPENSSL_free(old);
    ok = JNI_TRUE;
 done:
    SSL_SESSION_free(sess);
    ERR_clear_error();
    return ok;
}

/* stunnel's idx_cache_retrieve: the address kept with a resumed session, or NULL */
JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1SESSION_1get_1connect_1address(JNIEnv *env, jclass cls, jlong ssl)
{
    SSL_SESSION *sess = SSL_get_session(SSLP(ssl));
    const char *addr;
    jstring s = NULL;

    (void)cls;
    if (sess == NULL || jst_ex_sess_addr < 0 || !CRYPTO_THREAD_read_lock(jst_sess_addr_lock))
        return NULL;
    addr = SSL_SESSION_get_ex_data(sess, jst_ex_sess_addr);
    if (addr != NULL)
        s = (*env)->NewStringUTF(env, addr); /* copied before another connection may replace it */
    CRYPTO_THREAD_unlock(jst_sess_addr_lock);
    return s;
}
