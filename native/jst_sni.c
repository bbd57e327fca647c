/*
 * Server-side SNI (stunnel's ctx.c servername_cb): Java picks the slave service for the requested
 * name; this switches the SSL to the slave's context and verify settings.
 */
#include <string.h>
#include "jst_tls.h"

/* SslCallbacks.servername(byte[] or null): 0 = no switch, -1 = no ack, else the slave's SSL_CTX */
int jst_servername_callback(SSL *ssl, int *ad, void *arg)
{
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    jbyteArray jname = NULL;
    JNIEnv *env;
    jobject cb;
    jclass cls;
    jmethodID mid;
    jlong r;
    SSL_CTX *slave;

    (void)arg; /* the alert stays SSL_AD_UNRECOGNIZED_NAME, as stunnel leaves it */
    cb = jst_tls_callbacks(ssl, &env);
    if (cb == NULL)
        return SSL_TLSEXT_ERR_OK;
    if (name != NULL && (jname = jst_tls_bytes(env, name, strlen(name))) == NULL) {
        jst_tls_upcall_failed(env);
        *ad = SSL_AD_INTERNAL_ERROR;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    cls = (*env)->GetObjectClass(env, cb);
    mid = (*env)->GetMethodID(env, cls, "servername", "([B)J");
    (*env)->DeleteLocalRef(env, cls);
    r = mid == NULL ? 0 : (*env)->CallLongMethod(env, cb, mid, jname);
    if (jname != NULL)
        (*env)->DeleteLocalRef(env, jname);
    if (jst_tls_upcall_failed(env)) {
        *ad = SSL_AD_INTERNAL_ERROR;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    if (r == 0)
        return SSL_TLSEXT_ERR_OK;
    if (r == -1)
        return SSL_TLSEXT_ERR_NOACK;
    /* Java holds a reference to the slave's context for the connection's lifetime */
    slave = (SSL_CTX *)JST_PTR(r);
    if (SSL_set_SSL_CTX(ssl, slave) == NULL) {
        *ad = SSL_AD_INTERNAL_ERROR;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    SSL_set_verify(ssl, SSL_CTX_get_verify_mode(slave), SSL_CTX_get_verify_callback(slave));
    return SSL_TLSEXT_ERR_OK;
}
