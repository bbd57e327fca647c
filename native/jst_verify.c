/* Certificate verification: OpenSSL's callback upcalls SslCallbacks.verify, where the policy lives. */
#include <string.h>
#include "jst_common.h"
#include "org_jstunnel_ssl_NativeSsl.h"
#include <openssl/x509v3.h>

#define STORE(p) ((X509_STORE_CTX *)JST_PTR(p))

int jst_verify_callback(int preverify_ok, X509_STORE_CTX *store)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    jobject callbacks;
    jclass cls;
    jmethodID mid;
    JNIEnv *env;
    jboolean ok;

    if (ssl == NULL || (callbacks = SSL_get_ex_data(ssl, jst_ex_callbacks)) == NULL)
        return preverify_ok;
    /* we are inside SSL_do_handshake called from Java: the thread is attached */
    if ((*jst_vm)->GetEnv(jst_vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK)
        return 0;
    cls = (*env)->GetObjectClass(env, callbacks);
    mid = (*env)->GetMethodID(env, cls, "verify", "(ZIIJ)Z");
    (*env)->DeleteLocalRef(env, cls);
    if (mid == NULL)
        return 0;
    ok = (*env)->CallBooleanMethod(env, callbacks, mid, preverify_ok ? JNI_TRUE : JNI_FALSE,
                                   X509_STORE_CTX_get_error_depth(store),
                                   X509_STORE_CTX_get_error(store), (jlong)(intptr_t)store);
    if ((*env)->ExceptionCheck(env)) {
        /* a Java bug must not leave a pending exception under OpenSSL: reject and report */
        (*env)->ExceptionDescribe(env);
        (*env)->ExceptionClear(env);
        X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
        return 0;
    }
    return ok ? 1 : 0;
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeSsl_X509_1STORE_1CTX_1current_1subject(JNIEnv *env, jclass cls, jlong store)
{
    X509 *cert = X509_STORE_CTX_get_current_cert(STORE(store));
    char *text;
    jstring s;

    (void)cls;
    if (cert == NULL || (text = jst_name_text(X509_get_subject_name(cert))) == NULL)
        return NULL;
    s = (*env)->NewStringUTF(env, text);
    OPENSSL_free(text);
    return s;
}

typedef int (*check_fn)(X509 *, const char *);

static int check_host(X509 *c, const char *s) { return X509_check_host(c, s, 0, 0, NULL); }
static int check_email(X509 *c, const char *s) { return X509_check_email(c, s, 0, 0); }
static int check_ip(X509 *c, const char *s) { return X509_check_ip_asc(c, s, 0); }

static jboolean check_current(JNIEnv *env, jlong store, jstring value, check_fn fn)
{
    X509 *cert = X509_STORE_CTX_get_current_cert(STORE(store));
    const char *s;
    int r;

    if (cert == NULL || (s = jst_string(env, value)) == NULL)
        return JNI_FALSE;
    r = fn(cert, s);
    jst_release_string(env, value, s);
    ERR_clear_error(); /* a malformed name is just "no match" */
    return r > 0 ? JNI_TRUE : JNI_FALSE;
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeSsl_X509_1check_1host(JNIEnv *env, jclass cls, jlong store, jstring v)
{
    (void)cls;
    return check_current(env, store, v, check_host);
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeSsl_X509_1check_1email(JNIEnv *env, jclass cls, jlong store, jstring v)
{
    (void)cls;
    return check_current(env, store, v, check_email);
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeSsl_X509_1check_1ip_1asc(JNIEnv *env, jclass cls, jlong store, jstring v)
{
    (void)cls;
    return check_current(env, store, v, check_ip);
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeSsl_X509_1STORE_1CTX_1cert_1in_1store(JNIEnv *env, jclass cls, jlong store)
{
    X509 *cert = X509_STORE_CTX_get_current_cert(STORE(store));
    STACK_OF(X509) *found;
    EVP_PKEY *key;
    jboolean in_store = JNI_FALSE;
    int i;

    (void)env; (void)cls;
    if (cert == NULL || (key = X509_get0_pubkey(cert)) == NULL)
        return JNI_FALSE;
    found = X509_STORE_CTX_get1_certs(STORE(store), X509_get_subject_name(cert));
    if (found == NULL) {
        ERR_clear_error();
        return JNI_FALSE;
    }
    for (i = 0; i < sk_X509_num(found) && !in_store; i++) {
        EVP_PKEY *other = X509_get0_pubkey(sk_X509_value(found, i));

        if (other != NULL && EVP_PKEY_eq(key, other) == 1)
            in_store = JNI_TRUE;
    }
    sk_X509_pop_free(found, X509_free);
    ERR_clear_error();
    return in_store;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_X509_1STORE_1CTX_1set_1error(JNIEnv *env, jclass cls, jlong store, jint error)
{
    (void)env; (void)cls;
    X509_STORE_CTX_set_error(STORE(store), error);
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeSsl_X509_1verify_1cert_1error_1string(JNIEnv *env, jclass cls, jint error)
{
    (void)cls;
    return (*env)->NewStringUTF(env, X509_verify_cert_error_string(error));
}
