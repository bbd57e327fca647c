/*
 * OSSL_STORE (cert/key given as a URI a loaded provider or loader handles), and putting an
 * EVP_PKEY/X509 handle into an SSL_CTX. One native per C call; the loop over objects is Java's.
 */
#include <openssl/store.h>
#include "jst_crypto.h"
#include "org_jstunnel_ssl_NativeCrypto.h"

#define CTX(p) ((SSL_CTX *)JST_PTR(p))
#define STORE(p) ((OSSL_STORE_CTX *)JST_PTR(p))
#define INFO(p) ((OSSL_STORE_INFO *)JST_PTR(p))

/* OSSL_STORE_open(uri, jst_ui_method(), NULL, NULL, NULL) */
JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1STORE_1open(JNIEnv *env, jclass cls, jstring uri)
{
    const char *s = jst_required_string(env, uri, "uri");
    OSSL_STORE_CTX *store;

    (void)cls;
    if (s == NULL)
        return 0;
    ERR_clear_error();
    store = OSSL_STORE_open(s, jst_ui_method(), NULL, NULL, NULL);
    jst_release_string(env, uri, s);
    if (store == NULL) {
        jst_throw_ssl(env, "OSSL_STORE_open");
        return 0;
    }
    return (jlong)(intptr_t)store;
}

/* The next object, or 0 when there is none this time (an object that failed to decode: throws). */
JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1STORE_1load(JNIEnv *env, jclass cls, jlong store)
{
    OSSL_STORE_INFO *info;

    (void)cls;
    ERR_clear_error();
    info = OSSL_STORE_load(STORE(store));
    if (info == NULL) {
        if (ERR_peek_error() != 0)
            jst_throw_ssl(env, "OSSL_STORE_load");
        return 0;
    }
    return (jlong)(intptr_t)info;
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1STORE_1eof(JNIEnv *env, jclass cls, jlong store)
{
    (void)env; (void)cls;
    return OSSL_STORE_eof(STORE(store)) ? JNI_TRUE : JNI_FALSE;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1STORE_1close(JNIEnv *env, jclass cls, jlong store)
{
    (void)env; (void)cls;
    OSSL_STORE_close(STORE(store));
    ERR_clear_error();
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1STORE_1INFO_1get_1type(JNIEnv *env, jclass cls, jlong info)
{
    (void)env; (void)cls;
    return OSSL_STORE_INFO_get_type(INFO(info));
}

/* An EVP_PKEY handle of its own (free: EVP_PKEY_free). */
JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1STORE_1INFO_1get1_1PKEY(JNIEnv *env, jclass cls, jlong info)
{
    EVP_PKEY *pkey;

    (void)cls;
    ERR_clear_error();
    pkey = OSSL_STORE_INFO_get1_PKEY(INFO(info));
    if (pkey == NULL) {
        jst_throw_ssl(env, "OSSL_STORE_INFO_get1_PKEY");
        return 0;
    }
    return (jlong)(intptr_t)pkey;
}

/* An X509 handle of its own (free: X509_free). */
JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1STORE_1INFO_1get1_1CERT(JNIEnv *env, jclass cls, jlong info)
{
    X509 *x;

    (void)cls;
    ERR_clear_error();
    x = OSSL_STORE_INFO_get1_CERT(INFO(info));
    if (x == NULL) {
        jst_throw_ssl(env, "OSSL_STORE_INFO_get1_CERT");
        return 0;
    }
    return (jlong)(intptr_t)x;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1STORE_1INFO_1free(JNIEnv *env, jclass cls, jlong info)
{
    (void)env; (void)cls;
    OSSL_STORE_INFO_free(INFO(info));
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_EVP_1PKEY_1free(JNIEnv *env, jclass cls, jlong pkey)
{
    (void)env; (void)cls;
    EVP_PKEY_free((EVP_PKEY *)JST_PTR(pkey));
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_X509_1free(JNIEnv *env, jclass cls, jlong x)
{
    (void)env; (void)cls;
    X509_free((X509 *)JST_PTR(x));
}

/* One-line subject of a certificate handle, as stunnel logs names; null on failure. */
JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeCrypto_X509_1get_1subject_1name(JNIEnv *env, jclass cls, jlong x)
{
    char *text = jst_name_text(X509_get_subject_name((X509 *)JST_PTR(x)));
    jstring s;

    (void)cls;
    if (text == NULL) {
        ERR_clear_error();
        return NULL;
    }
    s = (*env)->NewStringUTF(env, text);
    OPENSSL_free(text);
    return s;
}

/* SSL_CTX_use_PrivateKey: the context takes its own reference; the caller still frees its handle. */
JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_SSL_1CTX_1use_1PrivateKey(JNIEnv *env, jclass cls, jlong ctx, jlong pkey)
{
    (void)cls;
    ERR_clear_error();
    if (SSL_CTX_use_PrivateKey(CTX(ctx), (EVP_PKEY *)JST_PTR(pkey)) != 1)
        jst_throw_ssl(env, "SSL_CTX_use_PrivateKey");
}

/* SSL_CTX_use_certificate: the context takes its own reference; the caller still frees its handle. */
JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_SSL_1CTX_1use_1certificate(JNIEnv *env, jclass cls, jlong ctx, jlong x)
{
    (void)cls;
    ERR_clear_error();
    if (SSL_CTX_use_certificate(CTX(ctx), (X509 *)JST_PTR(x)) != 1)
        jst_throw_ssl(env, "SSL_CTX_use_certificate");
}

/* SSL_CTX_add1_chain_cert: the context takes its own reference. */
JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_SSL_1CTX_1add1_1chain_1cert(JNIEnv *env, jclass cls, jlong ctx, jlong x)
{
    (void)cls;
    ERR_clear_error();
    if (SSL_CTX_add1_chain_cert(CTX(ctx), (X509 *)JST_PTR(x)) != 1)
        jst_throw_ssl(env, "SSL_CTX_add1_chain_cert");
}
