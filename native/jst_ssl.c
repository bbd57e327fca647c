/* SSL: one per connection, on two memory BIOs so that OpenSSL never touches a socket. */
#include <stdio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include "jst_common.h"
#include "jst_tls.h"
#include "org_jstunnel_ssl_NativeSsl.h"

#define SSLP(p) ((SSL *)JST_PTR(p))

/* Notes fatal alerts: after one, stunnel closes the TLS socket gently so the alert is not lost to a RST. */
static void info_callback(const SSL *ssl, int where, int ret)
{
    if (where & SSL_CB_ALERT) {
        if ((ret >> 8) == SSL3_AL_FATAL)
            SSL_set_ex_data((SSL *)ssl, jst_ex_fatal_alert, (void *)1);
        jst_tls_log(ssl, JST_LOG_DEBUG, "TLS alert (%s): %s: %s", (where & SSL_CB_READ) ? "read" : "write",
                    SSL_alert_type_string_long(ret), SSL_alert_desc_string_long(ret));
    }
    jst_tls_info(ssl, where, ret); /* renegotiation detection, server session caching (jst_tls.c) */
}

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1new(JNIEnv *env, jclass cls, jlong ctx, jobject callbacks)
{
    SSL *ssl = NULL;
    BIO *in = NULL, *out = NULL;
    jobject ref = NULL;

    (void)cls;
    ERR_clear_error();
    ssl = SSL_new((SSL_CTX *)JST_PTR(ctx));
    if (ssl == NULL)
        goto err;
    in = BIO_new(BIO_s_mem());
    out = BIO_new(BIO_s_mem());
    if (in == NULL || out == NULL)
        goto err;
    /* an empty read BIO means "want read", not EOF */
    BIO_set_mem_eof_return(in, -1);
    BIO_set_mem_eof_return(out, -1);
    SSL_set_bio(ssl, in, out); /* ssl owns both from here */
    SSL_set_info_callback(ssl, info_callback);
    in = out = NULL;
    if (callbacks != NULL) {
        ref = (*env)->NewGlobalRef(env, callbacks);
        if (ref == NULL)
            goto fail; /* OutOfMemoryError pending */
        if (SSL_set_ex_data(ssl, jst_ex_callbacks, ref) != 1) {
            (*env)->DeleteGlobalRef(env, ref);
            goto err;
        }
    }
    return (jlong)(intptr_t)ssl;
 err:
    jst_throw_ssl(env, "SSL_new");
 fail:
    BIO_free(in);
    BIO_free(out);
    SSL_free(ssl);
    return 0;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1free(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    SSL_free(SSLP(ssl)); /* the ex_data free callback drops the global ref */
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1set_1accept_1state(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    SSL_set_accept_state(SSLP(ssl));
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1set_1connect_1state(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    SSL_set_connect_state(SSLP(ssl));
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1set_1tlsext_1host_1name(JNIEnv *env, jclass cls, jlong ssl, jstring name)
{
    const char *s = jst_string(env, name);

    (void)cls;
    if (s == NULL)
        return;
    ERR_clear_error();
    if (SSL_set_tlsext_host_name(SSLP(ssl), s) != 1)
        jst_throw_ssl(env, "SSL_set_tlsext_host_name");
    jst_release_string(env, name, s);
}

/*
 * Result of an I/O call: n > 0 as is, otherwise -SSL_get_error(). Fatal errors
 * (SSL_ERROR_SSL, SSL_ERROR_SYSCALL) throw with the queue, read on this same thread.
 */
static jint io_result(JNIEnv *env, SSL *ssl, int ret, const char *call)
{
    int err;

    if (ret > 0)
        return ret;
    err = SSL_get_error(ssl, ret);
    if (err == SSL_ERROR_SSL || err == SSL_ERROR_SYSCALL) {
        jst_throw_ssl(env, call);
        return -err;
    }
    return -err;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1do_1handshake(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)cls;
    ERR_clear_error();
    return io_result(env, SSLP(ssl), SSL_do_handshake(SSLP(ssl)),
                     SSL_is_server(SSLP(ssl)) ? "SSL_accept" : "SSL_connect");
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1read(JNIEnv *env, jclass cls, jlong ssl, jobject buf, jint off, jint len)
{
    unsigned char *p = jst_buffer(env, buf, off, len);

    (void)cls;
    if (p == NULL)
        return 0;
    ERR_clear_error();
    return io_result(env, SSLP(ssl), SSL_read(SSLP(ssl), p, len), "SSL_read");
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1write(JNIEnv *env, jclass cls, jlong ssl, jobject buf, jint off, jint len)
{
    unsigned char *p = jst_buffer(env, buf, off, len);

    (void)cls;
    if (p == NULL)
        return 0;
    ERR_clear_error();
    return io_result(env, SSLP(ssl), SSL_write(SSLP(ssl), p, len), "SSL_write");
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1shutdown(JNIEnv *env, jclass cls, jlong ssl)
{
    int ret;

    (void)cls;
    ERR_clear_error();
    ret = SSL_shutdown(SSLP(ssl));
    if (ret >= 0)
        return ret;
    return io_result(env, SSLP(ssl), ret, "SSL_shutdown");
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1get_1shutdown(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    return SSL_get_shutdown(SSLP(ssl));
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1set_1shutdown(JNIEnv *env, jclass cls, jlong ssl, jint mode)
{
    (void)env; (void)cls;
    SSL_set_shutdown(SSLP(ssl), mode);
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1pending(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    return SSL_pending(SSLP(ssl));
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1session_1reused(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    return SSL_session_reused(SSLP(ssl)) ? JNI_TRUE : JNI_FALSE;
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1get_1version(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)cls;
    return (*env)->NewStringUTF(env, SSL_get_version(SSLP(ssl)));
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1get_1cipher_1name(JNIEnv *env, jclass cls, jlong ssl)
{
    const char *name = SSL_get_cipher_name(SSLP(ssl));

    (void)cls;
    return name == NULL ? NULL : (*env)->NewStringUTF(env, name);
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1get_1cipher_1bits(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    return SSL_get_cipher_bits(SSLP(ssl), NULL);
}

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1get_1verify_1result(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    return (jlong)SSL_get_verify_result(SSLP(ssl));
}

static jstring peer_name(JNIEnv *env, SSL *ssl, int issuer)
{
    X509 *peer = SSL_get0_peer_certificate(ssl);
    char *text;
    jstring s;

    if (peer == NULL)
        return NULL;
    text = jst_name_text(issuer ? X509_get_issuer_name(peer) : X509_get_subject_name(peer));
    if (text == NULL)
        return NULL;
    s = (*env)->NewStringUTF(env, text);
    OPENSSL_free(text);
    return s;
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1get_1peer_1subject(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)cls;
    return peer_name(env, SSLP(ssl), 0);
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1get_1peer_1issuer(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)cls;
    return peer_name(env, SSLP(ssl), 1);
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeSsl_BIO_1write_1in(JNIEnv *env, jclass cls, jlong ssl, jobject buf, jint off, jint len)
{
    unsigned char *p = jst_buffer(env, buf, off, len);
    int n;

    (void)cls;
    if (p == NULL || len == 0)
        return 0;
    ERR_clear_error();
    n = BIO_write(SSL_get_rbio(SSLP(ssl)), p, len);
    if (n != len) { /* a memory BIO takes everything unless malloc failed */
        jst_throw_ssl(env, "BIO_write");
        return 0;
    }
    return n;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeSsl_BIO_1read_1out(JNIEnv *env, jclass cls, jlong ssl, jobject buf, jint off, jint len)
{
    unsigned char *p = jst_buffer(env, buf, off, len);
    int n;

    (void)cls;
    if (p == NULL || len == 0)
        return 0;
    n = BIO_read(SSL_get_wbio(SSLP(ssl)), p, len);
    return n > 0 ? n : 0;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeSsl_BIO_1pending_1out(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    return (jint)BIO_ctrl_pending(SSL_get_wbio(SSLP(ssl)));
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1fatal_1alert_1seen(JNIEnv *env, jclass cls, jlong ssl)
{
    (void)env; (void)cls;
    return SSL_get_ex_data(SSLP(ssl), jst_ex_fatal_alert) != NULL ? JNI_TRUE : JNI_FALSE;
}

/* EOF on the socket: an empty read BIO now reads as end of file (0), so OpenSSL handles it as on a socket */
JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_BIO_1set_1mem_1eof_1return_1in(JNIEnv *env, jclass cls, jlong ssl, jint v)
{
    (void)env; (void)cls;
    BIO_set_mem_eof_return(SSL_get_rbio(SSLP(ssl)), v);
}

/*
 * stunnel's print_tmp_key: "X25519, 253 bits", "ECDH, P-256, 256 bits", "RSA, 2048 bits", or NULL when
 * the peer sent no temporary key.
 */
JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1get_1peer_1tmp_1key_1text(JNIEnv *env, jclass cls, jlong ssl)
{
    EVP_PKEY *key = NULL;
    char text[128], group[80];
    const char *type;
    size_t group_len = 0;
    jstring s;

    (void)cls;
    if (!SSL_get_peer_tmp_key(SSLP(ssl), &key) || key == NULL) {
        ERR_clear_error();
        return NULL;
    }
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        snprintf(text, sizeof(text), "RSA, %d bits", EVP_PKEY_get_bits(key));
        break;
    case EVP_PKEY_DH:
        snprintf(text, sizeof(text), "DH, %d bits", EVP_PKEY_get_bits(key));
        break;
    case EVP_PKEY_EC:
        if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &group_len))
            snprintf(group, sizeof(group), "unknown");
        else {
            /* stunnel prints the NIST name where there is one (EC_curve_nid2nist) */
            int nid = OBJ_sn2nid(group);
            const char *nist = nid != NID_undef ? EC_curve_nid2nist(nid) : NULL;

            if (nist != NULL)
                snprintf(group, sizeof(group), "%s", nist);
        }
        snprintf(text, sizeof(text), "ECDH, %s, %d bits", group, EVP_PKEY_get_bits(key));
        break;
    default:
        type = OBJ_nid2sn(EVP_PKEY_get_base_id(key));
        snprintf(text, sizeof(text), "%s, %d bits", type != NULL ? type : "UNDEF", EVP_PKEY_get_bits(key));
    }
    EVP_PKEY_free(key);
    ERR_clear_error();
    s = (*env)->NewStringUTF(env, text);
    return s;
}
