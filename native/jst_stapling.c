/*
 * OCSP stapling (stunnel 5.75's ocsp.c): the status callbacks, the server's stapling request, and the
 * check of an OCSP response (a staple, or what the server's responder sent). Only OpenSSL calls: what
 * to fetch, when, what to cache, what a status means for the handshake is Java's (OcspStapler,
 * CertificateVerifier). Responses are checked as ocsp_response_validate does and returned as numbers.
 */
#include <string.h>
#include <time.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>
#include "jst_tls.h"
#include "org_jstunnel_ssl_NativeOcsp.h"

#define CTX(p) ((SSL_CTX *)JST_PTR(p))
#define SSLP(p) ((SSL *)JST_PTR(p))
#define STORE(p) ((X509_STORE_CTX *)JST_PTR(p))

/* ---- the status callbacks: SslCallbacks.ocspStaple() (server) and ocspStapled(ssl, reused) (client) */

static int server_status_cb(SSL *ssl, void *arg)
{
    JNIEnv *env;
    jobject cb = jst_tls_callbacks(ssl, &env);
    jclass cls;
    jmethodID mid;
    jbyteArray der;
    jsize n;
    unsigned char *copy;

    (void)arg;
    if (cb == NULL)
        return SSL_TLSEXT_ERR_NOACK;
    cls = (*env)->GetObjectClass(env, cb);
    mid = (*env)->GetMethodID(env, cls, "ocspStaple", "()[B");
    (*env)->DeleteLocalRef(env, cls);
    if (mid == NULL) {
        jst_tls_upcall_failed(env);
        return SSL_TLSEXT_ERR_NOACK;
    }
    der = (jbyteArray)(*env)->CallObjectMethod(env, cb, mid);
    if (jst_tls_upcall_failed(env) || der == NULL)
        return SSL_TLSEXT_ERR_NOACK; /* nothing cached: staple nothing, never fail the handshake */
    n = (*env)->GetArrayLength(env, der);
    /* SSL_set_tlsext_status_ocsp_resp takes memory from OPENSSL_malloc and frees it */
    copy = n > 0 ? OPENSSL_malloc((size_t)n) : NULL;
    if (copy == NULL) {
        (*env)->DeleteLocalRef(env, der);
        return SSL_TLSEXT_ERR_NOACK;
    }
    (*env)->GetByteArrayRegion(env, der, 0, n, (jbyte *)copy);
    (*env)->DeleteLocalRef(env, der);
    if (!SSL_set_tlsext_status_ocsp_resp(ssl, copy, n)) {
        OPENSSL_free(copy);
        ERR_clear_error();
        return SSL_TLSEXT_ERR_NOACK;
    }
    return SSL_TLSEXT_ERR_OK;
}

static int client_status_cb(SSL *ssl, void *arg)
{
    JNIEnv *env;
    jobject cb = jst_tls_callbacks(ssl, &env);
    jclass cls;
    jmethodID mid;
    jboolean ok;

    (void)arg;
    if (cb == NULL)
        return 1;
    cls = (*env)->GetObjectClass(env, cb);
    mid = (*env)->GetMethodID(env, cls, "ocspStapled", "(JZ)Z");
    (*env)->DeleteLocalRef(env, cls);
    if (mid == NULL) {
        jst_tls_upcall_failed(env);
        return 0;
    }
    ok = (*env)->CallBooleanMethod(env, cb, mid, (jlong)(intptr_t)ssl,
                                   SSL_session_reused(ssl) ? JNI_TRUE : JNI_FALSE);
    if (jst_tls_upcall_failed(env))
        return 0; /* a bug in Java rejects, as the verify callback does */
    return ok ? 1 : 0;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeOcsp_SSL_1CTX_1set_1tlsext_1status_1cb(JNIEnv *env, jclass cls,
        jlong ctx, jboolean server)
{
    long ok = server ? SSL_CTX_set_tlsext_status_cb(CTX(ctx), server_status_cb)
                     : SSL_CTX_set_tlsext_status_cb(CTX(ctx), client_status_cb);

    (void)cls;
    if (!ok) {
        jst_throw_ssl(env, "SSL_CTX_set_tlsext_status_cb");
        return;
    }
    /* a client asks every server for a staple, as stunnel's client.c does per SSL */
    if (!server && !SSL_CTX_set_tlsext_status_type(CTX(ctx), TLSEXT_STATUSTYPE_ocsp))
        jst_throw_ssl(env, "SSL_CTX_set_tlsext_status_type");
}

/* ---- chains */

/*
 * The server's own chain (stunnel's ocsp_stapling): its certificate, the extra chain certificates, then
 * the trusted root from the context's store unless the last one is already trusted
 * (ocsp_params_append_root_ca, failures ignored as stunnel does). Owns its references.
 */
static STACK_OF(X509) *ctx_chain(SSL_CTX *ctx)
{
    X509 *cert = SSL_CTX_get0_certificate(ctx), *last;
    STACK_OF(X509) *extra = NULL, *chain;
    X509_STORE_CTX *store_ctx = NULL;
    X509_OBJECT *obj = NULL;

    if (cert == NULL || !SSL_CTX_get0_chain_certs(ctx, &extra))
        return NULL;
    chain = extra != NULL ? X509_chain_up_ref(extra) : sk_X509_new_null();
    if (chain == NULL)
        return NULL;
    if (!X509_up_ref(cert))
        goto fail;
    if (!sk_X509_unshift(chain, cert)) {
        X509_free(cert);
        goto fail;
    }
    last = sk_X509_value(chain, sk_X509_num(chain) - 1);
    if ((store_ctx = X509_STORE_CTX_new()) != NULL
            && X509_STORE_CTX_init(store_ctx, SSL_CTX_get_cert_store(ctx), NULL, NULL)
            && (obj = X509_OBJECT_new()) != NULL
            && X509_STORE_CTX_get_by_subject(store_ctx, X509_LU_X509, X509_get_subject_name(last), obj) <= 0
            && X509_STORE_CTX_get_by_subject(store_ctx, X509_LU_X509, X509_get_issuer_name(last), obj) > 0) {
        X509 *root = X509_OBJECT_get0_X509(obj);

        if (root != NULL && X509_up_ref(root) && !sk_X509_push(chain, root))
            X509_free(root);
    }
    X509_OBJECT_free(obj);
    X509_STORE_CTX_free(store_ctx);
    ERR_clear_error();
    return chain;
 fail:
    sk_X509_pop_free(chain, X509_free);
    return NULL;
}

/* The chain to check a response against: a verify callback's, the verified peer chain, or the server's own. */
static STACK_OF(X509) *chain_of(jlong ssl, jlong store, jlong ctx)
{
    STACK_OF(X509) *chain;

    if (store != 0)
        chain = X509_STORE_CTX_get0_chain(STORE(store));
    else if (ssl != 0)
        chain = SSL_get0_verified_chain(SSLP(ssl));
    else
        return ctx_chain(CTX(ctx));
    return chain == NULL ? NULL : X509_chain_up_ref(chain);
}

/* stunnel's ocsp_params_setup_cert_id for the leaf: the issuer is the next certificate (itself for a root) */
static OCSP_CERTID *leaf_id(STACK_OF(X509) *chain)
{
    X509 *leaf = sk_X509_value(chain, 0);

    return OCSP_cert_to_id(NULL, leaf, sk_X509_num(chain) > 1 ? sk_X509_value(chain, 1) : leaf);
}

static jlong epoch(const ASN1_GENERALIZEDTIME *t)
{
    struct tm tm;

    if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
        return -1;
    return (jlong)timegm(&tm);
}

/* ---- the server's request */

JST_EXPORT jbyteArray JNICALL Java_org_jstunnel_ssl_NativeOcsp_OCSP_1stapling_1request(JNIEnv *env, jclass cls,
        jlong ctx)
{
    STACK_OF(X509) *chain = ctx_chain(CTX(ctx));
    OCSP_REQUEST *req = NULL;
    OCSP_CERTID *id = NULL;
    unsigned char *der = NULL;
    jbyteArray out = NULL;
    int n;

    (void)cls;
    if (chain == NULL) {
        jst_throw_ssl(env, "SSL_CTX_get0_certificate");
        return NULL;
    }
    if ((id = leaf_id(chain)) == NULL) {
        jst_throw_ssl(env, "OCSP_cert_to_id");
        goto cleanup;
    }
    if ((req = OCSP_REQUEST_new()) == NULL) {
        jst_throw_ssl(env, "OCSP_REQUEST_new");
        goto cleanup;
    }
    if (OCSP_request_add0_id(req, id) == NULL) {
        jst_throw_ssl(env, "OCSP_request_add0_id");
        goto cleanup;
    }
    id = NULL; /* the request owns it */
    if ((n = i2d_OCSP_REQUEST(req, &der)) <= 0) {
        jst_throw_ssl(env, "i2d_OCSP_REQUEST");
        goto cleanup;
    }
    if ((out = jst_tls_bytes(env, der, (size_t)n)) == NULL && !(*env)->ExceptionCheck(env))
        jst_throw(env, "java/lang/OutOfMemoryError", "OCSP request");
 cleanup:
    OPENSSL_free(der);
    OCSP_CERTID_free(id);
    OCSP_REQUEST_free(req);
    sk_X509_pop_free(chain, X509_free);
    return out;
}

/* X509_get1_ocsp of the context's certificate (ssl 0) or of the SSL's verified peer leaf */
JST_EXPORT jobjectArray JNICALL Java_org_jstunnel_ssl_NativeOcsp_X509_1get1_1ocsp(JNIEnv *env, jclass cls,
        jlong ctx, jlong ssl)
{
    X509 *cert = ssl != 0 ? sk_X509_value(SSL_get0_verified_chain(SSLP(ssl)), 0) : SSL_CTX_get0_certificate(CTX(ctx));
    STACK_OF(OPENSSL_STRING) *aia = cert == NULL ? NULL : X509_get1_ocsp(cert);
    int i, n = aia == NULL ? 0 : sk_OPENSSL_STRING_num(aia);
    jobjectArray out = NULL;
    jclass str;

    (void)cls;
    ERR_clear_error();
    if (aia == NULL)
        return NULL; /* stunnel: "No AIA responder URL" */
    str = (*env)->FindClass(env, "java/lang/String");
    if (str != NULL) {
        out = (*env)->NewObjectArray(env, n, str, NULL);
        (*env)->DeleteLocalRef(env, str);
    }
    for (i = 0; out != NULL && i < n; i++) {
        char *url = sk_OPENSSL_STRING_value(aia, i);
        jstring s;
        size_t k;

        for (k = 0; url[k]; k++) /* from the certificate: ASCII only */
            if ((unsigned char)url[k] < 0x20 || (unsigned char)url[k] > 0x7e)
                url[k] = '.';
        if ((s = (*env)->NewStringUTF(env, url)) == NULL) {
            out = NULL;
            break;
        }
        (*env)->SetObjectArrayElement(env, out, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    X509_email_free(aia);
    return out;
}

/* ---- checking a response (ocsp_response_validate without the policy) */

JST_EXPORT jlongArray JNICALL Java_org_jstunnel_ssl_NativeOcsp_OCSP_1response_1check(JNIEnv *env, jclass cls,
        jlong ctx, jlong ssl, jlong store, jbyteArray jder, jlong flags)
{
    jlong result[5] = { V_OCSP_CERTSTATUS_UNKNOWN, -1, -1, -1, -1 };
    const unsigned char *der = NULL, *p;
    unsigned char *copy = NULL;
    long len = 0;
    OCSP_RESPONSE *resp = NULL;
    OCSP_BASICRESP *basic = NULL;
    OCSP_CERTID *id = NULL;
    STACK_OF(X509) *chain = NULL;
    SSL_CTX *sslctx;
    ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
    int status, reason = -1;
    jlongArray out = NULL;

    (void)cls;
    ERR_clear_error();
    if (store != 0 && ssl == 0)
        ssl = (jlong)(intptr_t)X509_STORE_CTX_get_ex_data(STORE(store), SSL_get_ex_data_X509_STORE_CTX_idx());
    sslctx = ctx != 0 ? CTX(ctx) : ssl != 0 ? SSL_get_SSL_CTX(SSLP(ssl)) : NULL;
    if (sslctx == NULL) {
        jst_throw(env, "java/lang/IllegalArgumentException", "no SSL_CTX");
        return NULL;
    }
    if (jder != NULL) {
        jsize n = (*env)->GetArrayLength(env, jder);

        if ((copy = OPENSSL_malloc(n > 0 ? (size_t)n : 1)) == NULL) {
            jst_throw_ssl(env, "OPENSSL_malloc");
            return NULL;
        }
        (*env)->GetByteArrayRegion(env, jder, 0, n, (jbyte *)copy);
        der = copy;
        len = n;
    } else if (ssl != 0) {
        len = SSL_get_tlsext_status_ocsp_resp(SSLP(ssl), &der);
        if (len <= 0 || der == NULL)
            return NULL; /* no staple */
    } else {
        return NULL;
    }
    p = der;
    if ((resp = d2i_OCSP_RESPONSE(NULL, &p, len)) == NULL) {
        jst_throw_ssl(env, "d2i_OCSP_RESPONSE");
        goto cleanup;
    }
    status = OCSP_response_status(resp);
    if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        result[0] = -2; /* the responder's error, for "OCSP: OCSP responder error" */
        result[1] = status;
        goto done;
    }
    if ((basic = OCSP_response_get1_basic(resp)) == NULL) {
        jst_throw_ssl(env, "OCSP_response_get1_basic");
        goto cleanup;
    }
    if ((chain = chain_of(ssl, store, ctx)) == NULL || sk_X509_num(chain) == 0) {
        jst_throw_ssl(env, "Empty verification chain");
        goto cleanup;
    }
    if (OCSP_basic_verify(basic, chain, SSL_CTX_get_cert_store(sslctx), (unsigned long)flags) <= 0) {
        jst_throw_ssl(env, "OCSP_basic_verify");
        goto cleanup;
    }
    if ((id = leaf_id(chain)) == NULL) {
        jst_throw_ssl(env, "OCSP_cert_to_id");
        goto cleanup;
    }
    if (!OCSP_resp_find_status(basic, id, &status, &reason, &rev, &thisupd, &nextupd)) {
        jst_throw_ssl(env, "OCSP_resp_find_status");
        goto cleanup;
    }
    result[0] = status;
    result[1] = reason;
    result[2] = epoch(thisupd);
    result[3] = epoch(nextupd);
    result[4] = epoch(rev);
 done:
    if ((out = (*env)->NewLongArray(env, 5)) != NULL)
        (*env)->SetLongArrayRegion(env, out, 0, 5, result);
 cleanup:
    ERR_clear_error();
    OCSP_CERTID_free(id);
    sk_X509_pop_free(chain, X509_free);
    OCSP_BASICRESP_free(basic);
    OCSP_RESPONSE_free(resp);
    OPENSSL_free(copy);
    return out;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeOcsp_OCSP_1check_1validity(JNIEnv *env, jclass cls,
        jlong thisupd, jlong nextupd, jlong sec)
{
    ASN1_GENERALIZEDTIME *t = NULL, *n = NULL;

    (void)cls;
    ERR_clear_error();
    if ((t = ASN1_GENERALIZEDTIME_set(NULL, (time_t)thisupd)) == NULL
            || (nextupd >= 0 && (n = ASN1_GENERALIZEDTIME_set(NULL, (time_t)nextupd)) == NULL)) {
        jst_throw_ssl(env, "ASN1_GENERALIZEDTIME_set");
    } else if (!OCSP_check_validity(t, n, (long)sec, -1)) {
        jst_throw_ssl(env, "OCSP_check_validity");
    }
    ASN1_GENERALIZEDTIME_free(t);
    ASN1_GENERALIZEDTIME_free(n);
}
