/* PSK (stunnel's ctx.c psk_client_callback/psk_server_callback): identities and keys come from Java. */
#include <string.h>
#include "jst_tls.h"
#include "org_jstunnel_ssl_NativeTls.h"

#define CTX(p) ((SSL_CTX *)JST_PTR(p))

/* SslCallbacks.pskServerKey(identity): the key, or null (Java logs either way) */
static unsigned int psk_server_cb(SSL *ssl, const char *identity, unsigned char *psk, unsigned int max_psk_len)
{
    jbyteArray jid, jkey;
    unsigned int n = 0;
    JNIEnv *env;
    jobject cb;
    jclass cls;
    jmethodID mid;
    jsize len;

    cb = jst_tls_callbacks(ssl, &env);
    if (cb == NULL || identity == NULL)
        return 0;
    jid = jst_tls_bytes(env, identity, strlen(identity));
    if (jid == NULL) {
        jst_tls_upcall_failed(env);
        return 0;
    }
    cls = (*env)->GetObjectClass(env, cb);
    mid = (*env)->GetMethodID(env, cls, "pskServerKey", "([B)[B");
    (*env)->DeleteLocalRef(env, cls);
    jkey = mid == NULL ? NULL : (jbyteArray)(*env)->CallObjectMethod(env, cb, mid, jid);
    (*env)->DeleteLocalRef(env, jid);
    if (jst_tls_upcall_failed(env) || jkey == NULL)
        return 0;
    len = (*env)->GetArrayLength(env, jkey);
    if (len > 0 && (unsigned int)len <= max_psk_len) {
        (*env)->GetByteArrayRegion(env, jkey, 0, len, (jbyte *)psk);
        n = (unsigned int)len;
    } else {
        jst_tls_log(ssl, JST_LOG_ERR, "PSK too long (%u>%u)", (unsigned)len, max_psk_len);
    }
    (*env)->DeleteLocalRef(env, jkey);
    return n;
}

/* SslCallbacks.pskClient(): identity bytes, a 0 byte, then the key; null if none is selected */
static unsigned int psk_client_cb(SSL *ssl, const char *hint, char *identity, unsigned int max_identity_len,
                                  unsigned char *psk, unsigned int max_psk_len)
{
    jbyteArray jout;
    jbyte *b;
    unsigned int n = 0;
    size_t id_len, key_len;
    JNIEnv *env;
    jobject cb;
    jclass cls;
    jmethodID mid;
    jsize len;
    const char *zero;

    (void)hint;
    cb = jst_tls_callbacks(ssl, &env);
    if (cb == NULL)
        return 0;
    cls = (*env)->GetObjectClass(env, cb);
    mid = (*env)->GetMethodID(env, cls, "pskClient", "()[B");
    (*env)->DeleteLocalRef(env, cls);
    jout = mid == NULL ? NULL : (jbyteArray)(*env)->CallObjectMethod(env, cb, mid);
    if (jst_tls_upcall_failed(env) || jout == NULL)
        return 0;
    len = (*env)->GetArrayLength(env, jout);
    b = (*env)->GetByteArrayElements(env, jout, NULL);
    if (b == NULL) {
        jst_tls_upcall_failed(env);
        (*env)->DeleteLocalRef(env, jout);
        return 0;
    }
    zero = memchr(b, 0, (size_t)len);
    if (zero == NULL)
        goto end;
    id_len = (size_t)(zero - (const char *)b);
    key_len = (size_t)len - id_len - 1;
    /* the identity with its trailing '\0' (stunnel plays safe the same way) */
    if (id_len + 1 > max_identity_len) {
        jst_tls_log(ssl, JST_LOG_ERR, "PSK identity too long (%lu>%u bytes)", (unsigned long)(id_len + 1),
                    max_identity_len);
        goto end;
    }
    if (key_len > max_psk_len) {
        jst_tls_log(ssl, JST_LOG_ERR, "PSK too long (%lu>%u bytes)", (unsigned long)key_len, max_psk_len);
        goto end;
    }
    memcpy(identity, b, id_len + 1);
    memcpy(psk, zero + 1, key_len);
    n = (unsigned int)key_len;
 end:
    (*env)->ReleaseByteArrayElements(env, jout, b, JNI_ABORT);
    (*env)->DeleteLocalRef(env, jout);
    return n;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1set_1psk_1callback(JNIEnv *env, jclass cls, jlong ctx, jboolean server)
{
    (void)env; (void)cls;
    if (server)
        SSL_CTX_set_psk_server_callback(CTX(ctx), psk_server_cb);
    else
        SSL_CTX_set_psk_client_callback(CTX(ctx), psk_client_cb);
}
