/*
 * OCSP, as stunnel's verify.c ocsp_request does it, inside the verify callback: one request for the
 * current certificate to one responder over plain HTTP, the response checked against the chain and
 * the context's trust store. The decision which responders to ask is Java's (CertificateVerifier).
 */
#include <string.h>
#include <openssl/ocsp.h>
#include <openssl/http.h>
#include <openssl/x509v3.h>
#include "jst_tls.h"
#include "org_jstunnel_ssl_NativeTls.h"

#define STORE(p) ((X509_STORE_CTX *)JST_PTR(p))

static SSL *ssl_of(X509_STORE_CTX *store)
{
    return X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
}

/* stunnel's sslerror(txt): every queued error, then the queue is empty */
static void log_errors(SSL *ssl, const char *txt)
{
    char reason[256];
    unsigned long err;
    int any = 0;

    while ((err = ERR_get_error()) != 0) {
        ERR_error_string_n(err, reason, sizeof(reason));
        jst_tls_log(ssl, JST_LOG_ERR, "%s: %s", txt, reason);
        any = 1;
    }
    if (!any)
        jst_tls_log(ssl, JST_LOG_ERR, "%s: Peer suddenly disconnected", txt);
}

static void log_time(SSL *ssl, int level, const char *txt, const ASN1_GENERALIZEDTIME *t)
{
    char text[64];
    BIO *bio;
    int n;

    if (t == NULL || (bio = BIO_new(BIO_s_mem())) == NULL)
        return;
    if (ASN1_TIME_print(bio, t) == 1 && (n = BIO_read(bio, text, sizeof(text) - 1)) > 0) {
        text[n] = '\0';
        jst_tls_log(ssl, level, "%s: %s", txt, text);
    }
    BIO_free(bio);
    ERR_clear_error();
}

/* stunnel's get_current_issuer: the next certificate up the verified chain (itself for the root) */
static X509 *current_issuer(X509_STORE_CTX *store)
{
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(store);
    int depth = X509_STORE_CTX_get_error_depth(store);

    if (chain == NULL)
        return NULL;
    if (depth < sk_X509_num(chain) - 1)
        ++depth;
    return sk_X509_value(chain, depth);
}

/* stunnel's ocsp_get_response, on OpenSSL 3's HTTP client (POST, with the timeout) */
static OCSP_RESPONSE *get_response(SSL *ssl, OCSP_REQUEST *req, const char *url, int timeout)
{
    char *host = NULL, *port = NULL, *path = NULL;
    STACK_OF(CONF_VALUE) *headers = NULL;
    OCSP_RESPONSE *resp = NULL;
    BIO *req_mem = NULL, *rsp = NULL;
    int use_ssl = 0;

    if (!OSSL_HTTP_parse_url(url, &use_ssl, NULL, &host, &port, NULL, &path, NULL, NULL)) {
        ERR_clear_error();
        jst_tls_log(ssl, JST_LOG_ERR, "OCSP: Failed to parse the OCSP URL");
        goto cleanup;
    }
    if (use_ssl) {
        jst_tls_log(ssl, JST_LOG_ERR, "OCSP: TLS not supported for OCSP"
                    " - an additional stunnel service needs to be defined");
        goto cleanup;
    }
    if (!X509V3_add_value("User-Agent", "stunnel", &headers)) {
        log_errors(ssl, "OCSP: X509V3_add_value");
        goto cleanup;
    }
    req_mem = ASN1_item_i2d_mem_bio(ASN1_ITEM_rptr(OCSP_REQUEST), (const ASN1_VALUE *)req);
    if (req_mem == NULL) {
        log_errors(ssl, "OCSP: i2d_OCSP_REQUEST");
        goto cleanup;
    }
    jst_tls_log(ssl, JST_LOG_DEBUG, "OCSP: Connecting %s:%s", host, port);
    rsp = OSSL_HTTP_transfer(NULL, host, port, path, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, headers,
                             "application/ocsp-request", req_mem, "application/ocsp-response", 1, 0,
                             timeout, 0);
    if (rsp == NULL) {
        log_errors(ssl, "OCSP: OSSL_HTTP_transfer");
        goto cleanup;
    }
    resp = d2i_OCSP_RESPONSE_bio(rsp, NULL);
    if (resp == NULL)
        log_errors(ssl, "OCSP: d2i_OCSP_RESPONSE_bio");
    else
        jst_tls_log(ssl, JST_LOG_DEBUG, "OCSP: Response received");
 cleanup:
    BIO_free_all(rsp);
    BIO_free(req_mem);
    sk_CONF_VALUE_pop_free(headers, X509V3_conf_free);
    OPENSSL_free(host);
    OPENSSL_free(port);
    OPENSSL_free(path);
    return resp;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeTls_OCSP_1check_1url(JNIEnv *env, jclass cls, jlong jssl,
        jlong jstore, jlong ctx, jstring jurl, jboolean nonce, jlong flags, jint timeout)
{
    /* in a verify callback: its current certificate; in the status callback (jstore 0): the verified leaf */
    X509_STORE_CTX *store = STORE(jstore);
    SSL *ssl = store != NULL ? ssl_of(store) : (SSL *)JST_PTR(jssl);
    STACK_OF(X509) *chain = store != NULL ? X509_STORE_CTX_get0_chain(store) : SSL_get0_verified_chain(ssl);
    int status = V_OCSP_CERTSTATUS_UNKNOWN, response_status, reason = -1;
    int ctx_err = X509_V_ERR_APPLICATION_VERIFICATION;
    OCSP_CERTID *cert_id = NULL;
    OCSP_REQUEST *request = NULL;
    OCSP_RESPONSE *response = NULL;
    OCSP_BASICRESP *basic = NULL;
    ASN1_GENERALIZEDTIME *revoked_at = NULL, *this_update = NULL, *next_update = NULL;
    X509 *cert = store != NULL ? X509_STORE_CTX_get_current_cert(store) : sk_X509_value(chain, 0);
    X509 *issuer = store != NULL ? current_issuer(store)
        : sk_X509_num(chain) > 1 ? sk_X509_value(chain, 1) : cert;
    const char *url = jst_string(env, jurl);

    (void)cls;
    if (url == NULL)
        return V_OCSP_CERTSTATUS_UNKNOWN;
    ERR_clear_error();
    if (cert == NULL) {
        jst_tls_log(ssl, JST_LOG_ERR, "OCSP: Failed to get the current certificate");
        goto cleanup;
    }
    cert_id = OCSP_cert_to_id(NULL, cert, issuer);
    if (cert_id == NULL) {
        log_errors(ssl, "OCSP: OCSP_cert_to_id");
        goto cleanup;
    }
    request = OCSP_REQUEST_new();
    if (request == NULL) {
        log_errors(ssl, "OCSP: OCSP_REQUEST_new");
        goto cleanup;
    }
    {
        OCSP_CERTID *dup = OCSP_CERTID_dup(cert_id);

        if (dup == NULL || OCSP_request_add0_id(request, dup) == NULL) {
            OCSP_CERTID_free(dup);
            log_errors(ssl, "OCSP: OCSP_request_add0_id");
            goto cleanup;
        }
    }
    if (nonce && OCSP_request_add1_nonce(request, NULL, -1) != 1) {
        log_errors(ssl, "OCSP: OCSP_request_add1_nonce");
        goto cleanup;
    }
    response = get_response(ssl, request, url, timeout);
    if (response == NULL)
        goto cleanup;
    response_status = OCSP_response_status(response);
    if (response_status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        jst_tls_log(ssl, JST_LOG_ERR, "OCSP: Responder error: %d: %s", response_status,
                    OCSP_response_status_str(response_status));
        goto cleanup;
    }
    basic = OCSP_response_get1_basic(response);
    if (basic == NULL) {
        log_errors(ssl, "OCSP: OCSP_response_get1_basic");
        goto cleanup;
    }
    if (nonce && OCSP_check_nonce(request, basic) <= 0) {
        ERR_clear_error();
        jst_tls_log(ssl, JST_LOG_ERR, "OCSP: Invalid or unsupported nonce");
        goto cleanup;
    }
    if (OCSP_basic_verify(basic, chain, SSL_CTX_get_cert_store((SSL_CTX *)JST_PTR(ctx)),
                          (unsigned long)flags) <= 0) {
        log_errors(ssl, "OCSP: OCSP_basic_verify");
        goto cleanup;
    }
    if (!OCSP_resp_find_status(basic, cert_id, &status, &reason, &revoked_at, &this_update, &next_update)) {
        status = V_OCSP_CERTSTATUS_UNKNOWN;
        log_errors(ssl, "OCSP: OCSP_resp_find_status");
        goto cleanup;
    }
    jst_tls_log(ssl, JST_LOG_INFO, "OCSP: Status: %s", OCSP_cert_status_str(status));
    log_time(ssl, JST_LOG_INFO, "OCSP: This update", this_update);
    log_time(ssl, JST_LOG_INFO, "OCSP: Next update", next_update);
    /* valid for at least one more minute */
    if (!OCSP_check_validity(this_update, next_update, 60, -1)) {
        log_errors(ssl, "OCSP: OCSP_check_validity");
        status = V_OCSP_CERTSTATUS_UNKNOWN;
        goto cleanup;
    }
    switch (status) {
    case V_OCSP_CERTSTATUS_GOOD:
        jst_tls_log(ssl, JST_LOG_NOTICE, "OCSP: Certificate accepted");
        break;
    case V_OCSP_CERTSTATUS_REVOKED:
        if (reason == -1)
            jst_tls_log(ssl, JST_LOG_ERR, "OCSP: Certificate revoked");
        else
            jst_tls_log(ssl, JST_LOG_ERR, "OCSP: Certificate revoked: %d: %s", reason, OCSP_crl_reason_str(reason));
        log_time(ssl, JST_LOG_NOTICE, "OCSP: Revoked at", revoked_at);
        ctx_err = X509_V_ERR_CERT_REVOKED;
        break;
    default:
        jst_tls_log(ssl, JST_LOG_WARNING, "OCSP: Unknown verification status");
    }
 cleanup:
    ERR_clear_error();
    OCSP_BASICRESP_free(basic);
    OCSP_RESPONSE_free(response);
    OCSP_REQUEST_free(request);
    OCSP_CERTID_free(cert_id);
    jst_release_string(env, jurl, url);
    if (status != V_OCSP_CERTSTATUS_GOOD && store != NULL)
        X509_STORE_CTX_set_error(store, ctx_err);
    return status;
}

JST_EXPORT jobjectArray JNICALL Java_org_jstunnel_ssl_NativeTls_X509_1get1_1ocsp(JNIEnv *env, jclass cls, jlong store)
{
    X509 *cert = X509_STORE_CTX_get_current_cert(STORE(store));
    STACK_OF(OPENSSL_STRING) *aia = cert == NULL ? NULL : X509_get1_ocsp(cert);
    int i, n = aia == NULL ? 0 : sk_OPENSSL_STRING_num(aia);
    jobjectArray out = NULL;
    jclass str;

    (void)cls;
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
        s = (*env)->NewStringUTF(env, url);
        if (s == NULL) {
            out = NULL;
            break;
        }
        (*env)->SetObjectArrayElement(env, out, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    X509_email_free(aia);
    ERR_clear_error();
    return out;
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeTls_X509_1STORE_1CTX_1current_1is_1root(JNIEnv *env, jclass cls, jlong store)
{
    X509 *cert = X509_STORE_CTX_get_current_cert(STORE(store));

    (void)env; (void)cls;
    return cert != NULL && X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0
        ? JNI_TRUE : JNI_FALSE;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeTls_X509_1STORE_1CTX_1get_1error(JNIEnv *env, jclass cls, jlong store)
{
    (void)env; (void)cls;
    return X509_STORE_CTX_get_error(STORE(store));
}
