/*
 * Token keys off the carrier threads (org.jstunnel.keys): the certificate callback is the point
 * where a full handshake is about to use the private key. On a connection's virtual thread it
 * suspends the handshake (SSL_ERROR_WANT_X509_LOOKUP, state kept in the SSL); Java then continues
 * SSL_do_handshake on a key runner, a platform thread, where the callback lets it through.
 * Resumed handshakes never reach the callback, so they never leave the virtual thread.
 */
#include "jst_common.h"
#include "org_jstunnel_keys_NativeKeys.h"

#define SSLP(p) ((SSL *)JST_PTR(p))
#define CTX(p) ((SSL_CTX *)JST_PTR(p))

static int ex_on_runner = -1;
static CRYPTO_ONCE keys_once = CRYPTO_ONCE_STATIC_INIT;

static void keys_init_once(void)
{
    ex_on_runner = SSL_get_ex_new_index(0, "jstunnel on key runner", NULL, NULL, NULL);
}

static int suspend_unless_on_runner(SSL *ssl, void *arg)
{
    (void)arg;
    return SSL_get_ex_data(ssl, ex_on_runner) != NULL ? 1 : -1;
}

JST_EXPORT void JNICALL Java_org_jstunnel_keys_NativeKeys_SSL_1CTX_1set_1cert_1cb_1suspend(JNIEnv *env, jclass cls, jlong ctx)
{
    (void)cls;
    ERR_clear_error();
    if (!CRYPTO_THREAD_run_once(&keys_once, keys_init_once) || ex_on_runner < 0) {
        jst_throw_ssl(env, "SSL_get_ex_new_index");
        return;
    }
    SSL_CTX_set_cert_cb(CTX(ctx), suspend_unless_on_runner, NULL);
}

JST_EXPORT void JNICALL Java_org_jstunnel_keys_NativeKeys_SSL_1set_1on_1key_1runner(JNIEnv *env, jclass cls, jlong ssl, jboolean on)
{
    (void)cls;
    ERR_clear_error();
    if (ex_on_runner < 0 || SSL_set_ex_data(SSLP(ssl), ex_on_runner, on ? (void *)1 : NULL) != 1)
        jst_throw_ssl(env, "SSL_set_ex_data");
}

/* Server side, RSA key exchange: the key decrypts the premaster secret in a later handshake step. */
JST_EXPORT jboolean JNICALL Java_org_jstunnel_keys_NativeKeys_SSL_1pending_1kx_1is_1rsa(JNIEnv *env, jclass cls, jlong ssl)
{
    const SSL_CIPHER *c = SSL_get_pending_cipher(SSLP(ssl));

    (void)env; (void)cls;
    return c != NULL && SSL_CIPHER_get_kx_nid(c) == NID_kx_rsa ? JNI_TRUE : JNI_FALSE;
}
