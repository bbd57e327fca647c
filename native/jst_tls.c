/*
 * Issue 3 helpers shared by the callbacks (logging upcall, ex_data slots, renegotiation state) and
 * the context set-up stunnel does besides certificates: CRLs (verify.c crl_init), client CA names,
 * SSL_CONF (ctx.c conf_init), DH (ctx.c dh_init), compression and PRNG (ssl.c), PKCS#12 (ctx.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/comp.h>
#include <openssl/ui.h>
#include "jst_tls.h"
#include "org_jstunnel_ssl_NativeTls.h"

#define CTX(p) ((SSL_CTX *)JST_PTR(p))
#define STORE(p) ((X509_STORE_CTX *)JST_PTR(p))

/* stunnel's client.c reneg_state */
#define RENEG_INIT 0
#define RENEG_ESTABLISHED 1
#define RENEG_DETECTED 2

int jst_ex_reneg = -1;
int jst_ex_ctx_tickets = -1;
int jst_ex_ctx_chain = -1;
int jst_ex_sess_addr = -1;
CRYPTO_RWLOCK *jst_sess_addr_lock = NULL;

static CRYPTO_ONCE tls_once = CRYPTO_ONCE_STATIC_INIT;
static int tls_init_ok = 0;

static void free_tickets(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    (void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
    OPENSSL_clear_free(ptr, sizeof(struct jst_ticket_keys));
}

static void free_addr(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    (void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
    OPENSSL_free(ptr);
}

/*
 * A session copied by OpenSSL (a TLS 1.3 resumption duplicates the cached one) gets its own copy of
 * the address: without a dup function both would hold, and free, the same pointer.
 */
static int dup_addr(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from, void **from_d, int idx, long argl, void *argp)
{
    char *copy;

    (void)to; (void)from; (void)idx; (void)argl; (void)argp;
    if (from_d == NULL || jst_sess_addr_lock == NULL || !CRYPTO_THREAD_read_lock(jst_sess_addr_lock))
        return 0;
    copy = *from_d == NULL ? NULL : OPENSSL_strdup(*from_d);
    CRYPTO_THREAD_unlock(jst_sess_addr_lock);
    if (*from_d != NULL && copy == NULL)
        return 0;
    *from_d = copy;
    return 1;
}

static void tls_init_once(void)
{
    jst_ex_reneg = SSL_get_ex_new_index(0, "jstunnel renegotiation state", NULL, NULL, NULL);
    jst_ex_ctx_tickets = SSL_CTX_get_ex_new_index(0, "jstunnel ticket keys", NULL, NULL, free_tickets);
    jst_ex_ctx_chain = SSL_CTX_get_ex_new_index(0, "jstunnel peer chain cached", NULL, NULL, NULL);
    jst_ex_sess_addr = SSL_SESSION_get_ex_new_index(0, "jstunnel connect address", NULL, dup_addr, free_addr);
    jst_sess_addr_lock = CRYPTO_THREAD_lock_new();
    tls_init_ok = jst_ex_reneg >= 0 && jst_ex_ctx_tickets >= 0 && jst_ex_ctx_chain >= 0 && jst_ex_sess_addr >= 0
        && jst_sess_addr_lock != NULL;
}

int jst_tls_init(void)
{
    return CRYPTO_THREAD_run_once(&tls_once, tls_init_once) && tls_init_ok;
}

jobject jst_tls_callbacks(const SSL *ssl, JNIEnv **env)
{
    jobject cb;

    if (ssl == NULL || jst_vm == NULL || jst_ex_callbacks < 0)
        return NULL;
    cb = SSL_get_ex_data(ssl, jst_ex_callbacks);
    if (cb == NULL)
        return NULL;
    if ((*jst_vm)->GetEnv(jst_vm, (void **)env, JNI_VERSION_1_8) != JNI_OK)
        return NULL;
    return cb;
}

int jst_tls_upcall_failed(JNIEnv *env)
{
    if (!(*env)->ExceptionCheck(env))
        return 0;
    (*env)->ExceptionDescribe(env);
    (*env)->ExceptionClear(env);
    return 1;
}

jbyteArray jst_tls_bytes(JNIEnv *env, const void *p, size_t n)
{
    jbyteArray a;

    if (n > 0x7fffffff)
        return NULL;
    a = (*env)->NewByteArray(env, (jsize)n);
    if (a != NULL && n > 0)
        (*env)->SetByteArrayRegion(env, a, 0, (jsize)n, (const jbyte *)p);
    return a;
}

void jst_tls_log(const SSL *ssl, int level, const char *fmt, ...)
{
    char text[1024];
    jobject cb;
    JNIEnv *env;
    jclass cls;
    jmethodID mid;
    jstring s;
    va_list ap;
    size_t i;

    cb = jst_tls_callbacks(ssl, &env);
    if (cb == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    /* NewStringUTF needs modified UTF-8: anything a peer sent is shown as ASCII only */
    for (i = 0; text[i]; i++)
        if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7e)
            text[i] = '.';
    cls = (*env)->GetObjectClass(env, cb);
    mid = (*env)->GetMethodID(env, cls, "log", "(ILjava/lang/String;)V");
    (*env)->DeleteLocalRef(env, cls);
    if (mid == NULL) {
        jst_tls_upcall_failed(env);
        return;
    }
    s = (*env)->NewStringUTF(env, text);
    if (s == NULL) {
        jst_tls_upcall_failed(env);
        return;
    }
    (*env)->CallVoidMethod(env, cb, mid, (jint)level, s);
    jst_tls_upcall_failed(env);
    (*env)->DeleteLocalRef(env, s);
}

/* stunnel's info_callback: renegotiation detection */
void jst_tls_info(const SSL *ssl, int where, int ret)
{
    intptr_t state;

    (void)ret;
    if (jst_ex_reneg < 0)
        return;
    state = (intptr_t)SSL_get_ex_data(ssl, jst_ex_reneg);
    if ((where & SSL_CB_HANDSHAKE_DONE) && state == RENEG_INIT) {
        SSL_set_ex_data((SSL *)ssl, jst_ex_reneg, (void *)(intptr_t)RENEG_ESTABLISHED);
    } else if ((where & SSL_CB_ACCEPT_LOOP) == SSL_CB_ACCEPT_LOOP && state == RENEG_ESTABLISHED
               && SSL_get_state(ssl) == TLS_ST_SR_CLNT_HELLO) {
        /* a ClientHello after the initial handshake: renegotiation */
        SSL_set_ex_data((SSL *)ssl, jst_ex_reneg, (void *)(intptr_t)RENEG_DETECTED);
    }
}

/*
 * stunnel's ssl_start after SSL_accept: SSL_SESS_CACHE_NO_INTERNAL_STORE prevented automatic caching,
 * so a new server session goes into the context's cache now, after the TLS 1.3 tickets were written
 * (the session is the last ticket's, which a stateful ticket refers to).
 */
JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1cache_1server_1session(JNIEnv *env, jclass cls, jlong jssl)
{
    SSL *ssl = (SSL *)JST_PTR(jssl);
    SSL_SESSION *sess;

    (void)env; (void)cls;
    if (!SSL_is_server(ssl) || SSL_session_reused(ssl))
        return;
    sess = SSL_get1_session(ssl);
    if (sess == NULL)
        return;
    SSL_CTX_add_session(SSL_get_SSL_CTX(ssl), sess);
    SSL_SESSION_free(sess);
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1renegotiation_1detected(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    if (jst_ex_reneg < 0)
        return JNI_FALSE;
    return (intptr_t)SSL_get_ex_data((SSL *)JST_PTR(ssl), jst_ex_reneg) == RENEG_DETECTED ? JNI_TRUE : JNI_FALSE;
}

/**************************************** revocation lists, CA names */

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_X509_1load_1crl_1file(JNIEnv *env, jclass cls, jlong ctx, jstring file)
{
    const char *f = jst_required_string(env, file, "file");
    X509_LOOKUP *lookup;

    (void)cls;
    if (f == NULL)
        return;
    ERR_clear_error();
    lookup = X509_STORE_add_lookup(SSL_CTX_get_cert_store(CTX(ctx)), X509_LOOKUP_file());
    if (lookup == NULL)
        jst_throw_ssl(env, "X509_STORE_add_lookup(X509_LOOKUP_file)");
    else if (X509_load_crl_file(lookup, f, X509_FILETYPE_PEM) <= 0)
        jst_throw_ssl(env, "X509_load_crl_file");
    jst_release_string(env, file, f);
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_X509_1LOOKUP_1add_1dir(JNIEnv *env, jclass cls, jlong ctx, jstring dir)
{
    const char *d = jst_required_string(env, dir, "dir");
    X509_LOOKUP *lookup;

    (void)cls;
    if (d == NULL)
        return;
    ERR_clear_error();
    lookup = X509_STORE_add_lookup(SSL_CTX_get_cert_store(CTX(ctx)), X509_LOOKUP_hash_dir());
    if (lookup == NULL)
        jst_throw_ssl(env, "X509_STORE_add_lookup(X509_LOOKUP_hash_dir)");
    else if (X509_LOOKUP_add_dir(lookup, d, X509_FILETYPE_PEM) != 1)
        jst_throw_ssl(env, "X509_LOOKUP_add_dir");
    jst_release_string(env, dir, d);
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_X509_1STORE_1set_1crl_1check(JNIEnv *env, jclass cls, jlong ctx)
{
    (void)cls;
    ERR_clear_error();
    if (X509_STORE_set_flags(SSL_CTX_get_cert_store(CTX(ctx)), X509_V_FLAG_CRL_CHECK) != 1)
        jst_throw_ssl(env, "X509_STORE_set_flags");
}

JST_EXPORT jobjectArray JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1get_1client_1CA_1names(JNIEnv *env, jclass cls, jlong ctx)
{
    STACK_OF(X509_NAME) *names = SSL_CTX_get_client_CA_list(CTX(ctx));
    jobjectArray out;
    jclass str;
    int i, n;

    (void)cls;
    if (names == NULL)
        return NULL;
    n = sk_X509_NAME_num(names);
    str = (*env)->FindClass(env, "java/lang/String");
    if (str == NULL)
        return NULL;
    out = (*env)->NewObjectArray(env, n < 0 ? 0 : n, str, NULL);
    (*env)->DeleteLocalRef(env, str);
    if (out == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        char *text = jst_name_text(sk_X509_NAME_value(names, i));
        jstring s;

        if (text == NULL)
            continue;
        s = (*env)->NewStringUTF(env, text);
        OPENSSL_free(text);
        if (s == NULL)
            return NULL; /* OutOfMemoryError pending */
        (*env)->SetObjectArrayElement(env, out, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return out;
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeTls_X509_1check_1host_1peername(JNIEnv *env, jclass cls, jlong store, jstring host)
{
    X509 *cert = X509_STORE_CTX_get_current_cert(STORE(store));
    const char *h;
    char *peername = NULL;
    jstring out = NULL;
    int r;

    (void)cls;
    if (cert == NULL || (h = jst_string(env, host)) == NULL)
        return NULL;
    r = X509_check_host(cert, h, 0, 0, &peername);
    jst_release_string(env, host, h);
    ERR_clear_error(); /* a malformed name is just "no match" */
    if (r > 0) {
        size_t i;

        /* a name from the certificate: shown as ASCII only */
        for (i = 0; peername != NULL && peername[i]; i++)
            if ((unsigned char)peername[i] < 0x20 || (unsigned char)peername[i] > 0x7e)
                peername[i] = '.';
        out = peername != NULL ? (*env)->NewStringUTF(env, peername) : (jstring)(*env)->NewLocalRef(env, host);
    }
    OPENSSL_free(peername);
    return out;
}

/**************************************** SSL_CONF */

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CONF_1CTX_1new(JNIEnv *env, jclass cls, jlong ctx, jboolean client)
{
    SSL_CONF_CTX *cctx;

    (void)cls;
    ERR_clear_error();
    cctx = SSL_CONF_CTX_new();
    if (cctx == NULL) {
        jst_throw_ssl(env, "SSL_CONF_CTX_new");
        return 0;
    }
    SSL_CONF_CTX_set_ssl_ctx(cctx, CTX(ctx));
    SSL_CONF_CTX_set_flags(cctx, SSL_CONF_FLAG_FILE);
    SSL_CONF_CTX_set_flags(cctx, client ? SSL_CONF_FLAG_CLIENT : SSL_CONF_FLAG_SERVER);
    SSL_CONF_CTX_set_flags(cctx, SSL_CONF_FLAG_CERTIFICATE);
    return (jlong)(intptr_t)cctx;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CONF_1cmd(JNIEnv *env, jclass cls, jlong cctx, jstring cmd, jstring value)
{
    const char *c, *v = NULL;
    int r;

    (void)cls;
    c = jst_required_string(env, cmd, "cmd");
    if (c == NULL)
        return 0;
    if (value != NULL && (v = jst_string(env, value)) == NULL) {
        jst_release_string(env, cmd, c);
        return 0;
    }
    ERR_clear_error();
    r = SSL_CONF_cmd((SSL_CONF_CTX *)JST_PTR(cctx), c, v);
    if (r == -2 || r == -3)
        ERR_clear_error();
    else if (r <= 0)
        jst_throw_ssl(env, "SSL_CONF_cmd");
    jst_release_string(env, cmd, c);
    jst_release_string(env, value, v);
    return r;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CONF_1CTX_1finish(JNIEnv *env, jclass cls, jlong cctx)
{
    (void)cls;
    ERR_clear_error();
    if (SSL_CONF_CTX_finish((SSL_CONF_CTX *)JST_PTR(cctx)) != 1)
        jst_throw_ssl(env, "SSL_CONF_CTX_finish");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CONF_1CTX_1free(JNIEnv *env, jclass cls, jlong cctx)
{
    (void)env; (void)cls;
    SSL_CONF_CTX_free((SSL_CONF_CTX *)JST_PTR(cctx));
}

/**************************************** DH */

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1first_1dh_1cipher(JNIEnv *env, jclass cls, jlong ctx)
{
    STACK_OF(SSL_CIPHER) *ciphers = SSL_CTX_get_ciphers(CTX(ctx));
    char description[128];
    int i, n;

    (void)cls;
    n = ciphers == NULL ? 0 : sk_SSL_CIPHER_num(ciphers);
    for (i = 0; i < n; i++) {
        const SSL_CIPHER *c = sk_SSL_CIPHER_value(ciphers, i);

        *description = '\0';
        SSL_CIPHER_description(c, description, sizeof(description));
        if (strstr(description, " Kx=DH") != NULL)
            return (*env)->NewStringUTF(env, SSL_CIPHER_get_name(c));
    }
    return NULL;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1load_1dh_1file(JNIEnv *env, jclass cls, jlong ctx, jstring file)
{
    const char *f = jst_string(env, file);
    EVP_PKEY *dh = NULL;
    BIO *bio;
    int bits = 0;

    (void)cls;
    if (f == NULL)
        return 0;
    bio = BIO_new_file(f, "r");
    jst_release_string(env, file, f);
    if (bio != NULL) {
        /* PEM_read_bio_Parameters skips the certificates and keys before "DH PARAMETERS" */
        dh = PEM_read_bio_Parameters(bio, NULL);
        BIO_free(bio);
    }
    if (dh != NULL && EVP_PKEY_is_a(dh, "DH")) {
        bits = EVP_PKEY_get_bits(dh);
        if (SSL_CTX_set0_tmp_dh_pkey(CTX(ctx), dh) == 1)
            dh = NULL; /* the context owns it */
        else
            bits = 0;
    }
    EVP_PKEY_free(dh);
    ERR_clear_error(); /* a missing or bad DH section only means "use dynamic parameters" */
    return bits;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1set_1dh_1auto(JNIEnv *env, jclass cls, jlong ctx)
{
    (void)cls;
    ERR_clear_error();
    if (SSL_CTX_set_dh_auto(CTX(ctx), 1) != 1)
        jst_throw_ssl(env, "SSL_CTX_set_dh_auto");
}

/**************************************** compression, PRNG */

JST_EXPORT jobjectArray JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1COMP_1methods(JNIEnv *env, jclass cls)
{
    STACK_OF(SSL_COMP) *methods = SSL_COMP_get_compression_methods();
    int i, n = methods == NULL ? 0 : sk_SSL_COMP_num(methods);
    jobjectArray out;
    jclass str;

    (void)cls;
    str = (*env)->FindClass(env, "java/lang/String");
    if (str == NULL)
        return NULL;
    out = (*env)->NewObjectArray(env, n, str, NULL);
    (*env)->DeleteLocalRef(env, str);
    for (i = 0; out != NULL && i < n; i++) {
        SSL_COMP *comp = sk_SSL_COMP_value(methods, i);
        const char *name = comp != NULL ? SSL_COMP_get0_name(comp) : NULL;
        char text[128];
        jstring s;

        snprintf(text, sizeof(text), "0x%02x: %s", comp != NULL ? SSL_COMP_get_id(comp) : 0,
                 name != NULL ? name : "unknown");
        s = (*env)->NewStringUTF(env, text);
        if (s == NULL)
            return NULL;
        (*env)->SetObjectArrayElement(env, out, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return out;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1COMP_1select(JNIEnv *env, jclass cls, jintArray ids)
{
    STACK_OF(SSL_COMP) *methods = SSL_COMP_get_compression_methods();
    jint *want;
    jsize n;
    int i;

    (void)cls;
    if (methods == NULL)
        return 0;
    n = (*env)->GetArrayLength(env, ids);
    want = (*env)->GetIntArrayElements(env, ids, NULL);
    if (want == NULL)
        return 0;
    /* the table is OpenSSL's own: drop what is not wanted (the entries are static, not freed) */
    for (i = sk_SSL_COMP_num(methods) - 1; i >= 0; i--) {
        SSL_COMP *comp = sk_SSL_COMP_value(methods, i);
        jsize k;
        int keep = 0;

        for (k = 0; k < n && !keep; k++)
            keep = comp != NULL && SSL_COMP_get_id(comp) == want[k];
        if (!keep)
            (void)sk_SSL_COMP_delete(methods, i);
    }
    (*env)->ReleaseIntArrayElements(env, ids, want, JNI_ABORT);
    return sk_SSL_COMP_num(methods);
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeTls_RAND_1status(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    return RAND_status() == 1 ? JNI_TRUE : JNI_FALSE;
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeTls_RAND_1file_1name(JNIEnv *env, jclass cls)
{
    char name[256];

    (void)cls;
    name[0] = '\0';
    if (RAND_file_name(name, sizeof(name)) == NULL || !name[0]) {
        ERR_clear_error();
        return NULL;
    }
    return (*env)->NewStringUTF(env, name);
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeTls_RAND_1load_1file(JNIEnv *env, jclass cls, jstring file, jlong bytes)
{
    const char *f = jst_string(env, file);
    int n;

    (void)cls;
    if (f == NULL)
        return 0;
    ERR_clear_error();
    n = RAND_load_file(f, (long)bytes);
    if (n < 0)
        jst_throw_ssl(env, "RAND_load_file");
    jst_release_string(env, file, f);
    return n;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeTls_RAND_1write_1file(JNIEnv *env, jclass cls, jstring file)
{
    const char *f = jst_string(env, file);
    int n;

    (void)cls;
    if (f == NULL)
        return 0;
    ERR_clear_error();
    n = RAND_write_file(f);
    if (n < 0)
        jst_throw_ssl(env, "RAND_write_file");
    jst_release_string(env, file, f);
    return n;
}

/**************************************** PKCS#12 */

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeTls_PKCS12_1read(JNIEnv *env, jclass cls, jstring file)
{
    const char *f = jst_string(env, file);
    PKCS12 *p12 = NULL;
    BIO *bio;

    (void)cls;
    if (f == NULL)
        return 0;
    ERR_clear_error();
    bio = BIO_new_file(f, "rb");
    jst_release_string(env, file, f);
    if (bio == NULL) {
        jst_throw_ssl(env, "BIO_new_file");
        return 0;
    }
    p12 = d2i_PKCS12_bio(bio, NULL);
    BIO_free(bio);
    if (p12 == NULL) {
        jst_throw_ssl(env, "d2i_PKCS12_bio");
        return 0;
    }
    return (jlong)(intptr_t)p12;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_PKCS12_1free(JNIEnv *env, jclass cls, jlong p12)
{
    (void)env; (void)cls;
    PKCS12_free((PKCS12 *)JST_PTR(p12));
}

/* stunnel's ui_retry: the errors a wrong password causes */
static int wrong_password(unsigned long err)
{
    switch (ERR_GET_LIB(err)) {
    case ERR_LIB_ASN1:
        return 1;
    case ERR_LIB_PKCS12:
        return ERR_GET_REASON(err) == PKCS12_R_MAC_VERIFY_FAILURE;
    case ERR_LIB_EVP:
        return ERR_GET_REASON(err) == EVP_R_BAD_DECRYPT;
    case ERR_LIB_PEM:
        return ERR_GET_REASON(err) == PEM_R_BAD_PASSWORD_READ;
    case ERR_LIB_UI:
        return ERR_GET_REASON(err) == UI_R_RESULT_TOO_LARGE || ERR_GET_REASON(err) == UI_R_RESULT_TOO_SMALL
            || ERR_GET_REASON(err) == UI_R_PROCESSING_ERROR;
    default:
        return 0;
    }
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeTls_PKCS12_1parse_1into(JNIEnv *env, jclass cls, jlong ctx, jlong p12, jstring password)
{
    const char *pass = jst_required_string(env, password, "password");
    EVP_PKEY *pkey = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *ca = NULL;
    int ok;

    (void)cls;
    if (pass == NULL)
        return 0;
    ERR_clear_error();
    ok = PKCS12_parse((PKCS12 *)JST_PTR(p12), pass, &pkey, &cert, &ca);
    jst_release_string(env, password, pass);
    if (!ok) {
        if (wrong_password(ERR_peek_error())) { /* stunnel's ui_retry looks at the first error */
            ERR_clear_error();
            return 0;
        }
        jst_throw_ssl(env, "PKCS12_parse");
        return 0;
    }
    if (cert == NULL || pkey == NULL) {
        ERR_raise_data(ERR_LIB_PKCS12, ERR_R_PASSED_NULL_PARAMETER, "no certificate or no private key in the file");
        jst_throw_ssl(env, "PKCS12_parse");
        goto end;
    }
    if (SSL_CTX_use_certificate(CTX(ctx), cert) != 1) {
        jst_throw_ssl(env, "SSL_CTX_use_certificate");
        goto end;
    }
    if (SSL_CTX_use_PrivateKey(CTX(ctx), pkey) != 1) {
        jst_throw_ssl(env, "SSL_CTX_use_PrivateKey");
        goto end;
    }
    if (ca != NULL && sk_X509_num(ca) > 0) {
        if (SSL_CTX_set0_chain(CTX(ctx), ca) != 1) {
            jst_throw_ssl(env, "SSL_CTX_set0_chain");
            goto end;
        }
        ca = NULL; /* the context owns it */
    }
    ok = 1;
 end:
    X509_free(cert);
    EVP_PKEY_free(pkey);
    sk_X509_pop_free(ca, X509_free);
    return (*env)->ExceptionCheck(env) ? 0 : 1;
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeTls_EVP_1read_1pw_1string(JNIEnv *env, jclass cls, jstring prompt)
{
    const char *p = jst_string(env, prompt);
    char buf[PEM_BUFSIZE];
    jstring out = NULL;

    (void)cls;
    if (p == NULL)
        return NULL;
    memset(buf, 0, sizeof(buf));
    /* OpenSSL's UI: /dev/tty with echo off, as PEM_def_callback (stunnel's ui_passwd_cb) does */
    if (EVP_read_pw_string(buf, sizeof(buf), p, 0) == 0)
        out = (*env)->NewStringUTF(env, buf);
    ERR_clear_error();
    OPENSSL_cleanse(buf, sizeof(buf));
    jst_release_string(env, prompt, p);
    return out;
}
