/*
 * sessiond (stunnel's UDP session cache, client side): the session callbacks hand new and removed
 * sessions to Java (org.jstunnel.sessiond.NativeSessiond, which talks UDP), and Java puts a session
 * fetched from sessiond into the context's cache before OpenSSL reads the ClientHello that asks for
 * it, so no network wait ever happens inside an OpenSSL call.
 */
#include <string.h>
#include "jst_tls.h"

#define CTX(p) ((SSL_CTX *)JST_PTR(p))

static int ex_ctx_sessiond = -1;   /* SSL_CTX: non-NULL when sessiond is configured */
static jclass upcall_cls;          /* NativeSessiond (global reference) */
static jmethodID on_new, on_remove;
static CRYPTO_ONCE sessiond_once = CRYPTO_ONCE_STATIC_INIT;

static void sessiond_init_once(void)
{
    ex_ctx_sessiond = SSL_CTX_get_ex_new_index(0, "jstunnel sessiond", NULL, NULL, NULL);
}

static JNIEnv *current_env(void)
{
    JNIEnv *env;

    if (jst_vm == NULL || (*jst_vm)->GetEnv(jst_vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK)
        return NULL;
    return env;
}

static int enabled(SSL_CTX *ctx)
{
    return ctx != NULL && ex_ctx_sessiond >= 0 && upcall_cls != NULL && SSL_CTX_get_ex_data(ctx, ex_ctx_sessiond) != NULL;
}

/* stunnel's cache_new: called from the new session callback (jst_session.c) */
void jst_sessiond_new(SSL *ssl, SSL_SESSION *sess)
{
    SSL_CTX *ctx = SSL_get_SSL_CTX(ssl);
    const unsigned char *id;
    unsigned int id_len;
    unsigned char *der, *p;
    int der_len;
    JNIEnv *env;
    jbyteArray jid, jder;

    if (!enabled(ctx) || (env = current_env()) == NULL)
        return;
    der_len = i2d_SSL_SESSION(sess, NULL);
    if (der_len <= 0)
        return;
    der = OPENSSL_malloc((size_t)der_len);
    if (der == NULL)
        return;
    p = der;
    if (i2d_SSL_SESSION(sess, &p) != der_len) {
        OPENSSL_free(der);
        return;
    }
    id = SSL_SESSION_get_id(sess, &id_len);
    jid = jst_tls_bytes(env, id, id_len);
    jder = jid == NULL ? NULL : jst_tls_bytes(env, der, (size_t)der_len);
    OPENSSL_free(der);
    if (jder != NULL)
        (*env)->CallStaticVoidMethod(env, upcall_cls, on_new, (jlong)(intptr_t)ctx, jid,
                                     (jlong)SSL_SESSION_get_timeout(sess), jder);
    jst_tls_upcall_failed(env);
    if (jid != NULL) (*env)->DeleteLocalRef(env, jid);
    if (jder != NULL) (*env)->DeleteLocalRef(env, jder);
}

/* stunnel's sess_remove_cb + cache_remove */
static void remove_cb(SSL_CTX *ctx, SSL_SESSION *sess)
{
    const unsigned char *id;
    unsigned int id_len;
    JNIEnv *env;
    jbyteArray jid;

    if (!enabled(ctx) || (env = current_env()) == NULL)
        return;
    id = SSL_SESSION_get_id(sess, &id_len);
    jid = jst_tls_bytes(env, id, id_len);
    if (jid != NULL) {
        (*env)->CallStaticVoidMethod(env, upcall_cls, on_remove, (jlong)(intptr_t)ctx, jid);
        (*env)->DeleteLocalRef(env, jid);
    }
    jst_tls_upcall_failed(env);
}

JST_EXPORT void JNICALL Java_org_jstunnel_sessiond_NativeSessiond_enable(JNIEnv *env, jclass cls, jlong ctx)
{
    ERR_clear_error();
    if (!CRYPTO_THREAD_run_once(&sessiond_once, sessiond_init_once) || ex_ctx_sessiond < 0) {
        jst_throw_ssl(env, "SSL_CTX_get_ex_new_index");
        return;
    }
    if (upcall_cls == NULL) {
        jmethodID n = (*env)->GetStaticMethodID(env, cls, "onNew", "(J[BJ[B)V");
        jmethodID r = n == NULL ? NULL : (*env)->GetStaticMethodID(env, cls, "onRemove", "(J[B)V");
        jclass g;

        if (r == NULL)
            return; /* NoSuchMethodError pending */
        g = (*env)->NewGlobalRef(env, cls);
        if (g == NULL)
            return;
        on_new = n;
        on_remove = r;
        upcall_cls = g; /* last: enabled() reads it without a lock (set once, same value every time) */
    }
    if (!SSL_CTX_set_ex_data(CTX(ctx), ex_ctx_sessiond, (void *)1)) {
        jst_throw_ssl(env, "SSL_CTX_set_ex_data");
        return;
    }
    SSL_CTX_sess_set_remove_cb(CTX(ctx), remove_cb);
}

/* stunnel's cache_get result, added to the context's cache: OpenSSL's own lookup then finds it */
JST_EXPORT jboolean JNICALL Java_org_jstunnel_sessiond_NativeSessiond_addSession(JNIEnv *env, jclass cls, jlong ctx, jbyteArray der)
{
    jsize n;
    jbyte *bytes;
    const unsigned char *p;
    SSL_SESSION *sess;
    int ok;

    (void)cls;
    if (der == NULL)
        return JNI_FALSE;
    n = (*env)->GetArrayLength(env, der);
    bytes = (*env)->GetByteArrayElements(env, der, NULL);
    if (bytes == NULL)
        return JNI_FALSE;
    p = (const unsigned char *)bytes;
    ERR_clear_error();
    sess = d2i_SSL_SESSION(NULL, &p, (long)n);
    (*env)->ReleaseByteArrayElements(env, der, bytes, JNI_ABORT);
    if (sess == NULL) {
        ERR_clear_error();
        return JNI_FALSE;
    }
    ok = SSL_CTX_add_session(CTX(ctx), sess);
    SSL_SESSION_free(sess);
    ERR_clear_error();
    return ok ? JNI_TRUE : JNI_FALSE;
}
