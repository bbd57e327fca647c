/*
 * Token keys off the carrier threads (org.jstunnel.keys): the certificate callback is the point
 * where a full handshake is about to use the private key. On a connection's virtual thread it
 * suspends the handshake (SSL_ERROR_WANT_X509_LOOKUP, state kept in the SSL); Java then continues
 * SSL_do_handshake on a key runner, a platform thread, where the callback lets it through.
 * Resumed handshakes never reach the callback, so they never leave the virtual thread.
 */
#include <dlfcn.h>
#include <openssl/engine.h>
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

/* The key a token recovery loaded again replaces the context's (dead) one for this handshake. */
JST_EXPORT void JNICALL Java_org_jstunnel_keys_NativeKeys_SSL_1use_1PrivateKey(JNIEnv *env, jclass cls, jlong ssl, jlong pkey)
{
    (void)cls;
    ERR_clear_error();
    if (SSL_use_PrivateKey(SSLP(ssl), (EVP_PKEY *)JST_PTR(pkey)) != 1)
        jst_throw_ssl(env, "SSL_use_PrivateKey");
}

JST_EXPORT void JNICALL Java_org_jstunnel_keys_NativeKeys_EVP_1PKEY_1free(JNIEnv *env, jclass cls, jlong pkey)
{
    (void)env; (void)cls;
    EVP_PKEY_free((EVP_PKEY *)JST_PTR(pkey));
}

/*
 * A new ENGINE bound by an engine library's own bind_engine, as the dynamic engine's LOAD does but
 * without its "one ENGINE per library" rule: token recovery needs a second libp11 instance (its own
 * slots, sessions and login) because libp11 never reopens a lost session. Not added to the engine
 * list; the library stays loaded for as long as the process runs.
 */
JST_EXPORT jlong JNICALL Java_org_jstunnel_keys_NativeKeys_ENGINE_1new_1bound(JNIEnv *env, jclass cls, jstring so, jstring id)
{
    const char *path = jst_required_string(env, so, "so"), *name;
    void *lib;
    dynamic_bind_engine bind;
    dynamic_v_check_fn check;
    dynamic_fns fns;
    ENGINE *e = NULL;

    (void)cls;
    if (path == NULL)
        return 0;
    name = jst_required_string(env, id, "id");
    if (name == NULL) {
        jst_release_string(env, so, path);
        return 0;
    }
    ERR_clear_error();
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    bind = lib != NULL ? (dynamic_bind_engine)dlsym(lib, "bind_engine") : NULL;
    check = lib != NULL ? (dynamic_v_check_fn)dlsym(lib, "v_check") : NULL;
    if (bind == NULL || check == NULL || check(OSSL_DYNAMIC_VERSION) < OSSL_DYNAMIC_OLDEST) {
        ERR_raise_data(ERR_LIB_ENGINE, ENGINE_R_DSO_FAILURE, "%s: %s", path,
                       lib == NULL ? dlerror() : "not an OpenSSL 3 engine");
        goto err;
    }
    memset(&fns, 0, sizeof(fns));
    fns.static_state = ENGINE_get_static_state();
    CRYPTO_get_mem_functions(&fns.mem_fns.malloc_fn, &fns.mem_fns.realloc_fn, &fns.mem_fns.free_fn);
    e = ENGINE_new();
    if (e == NULL || !bind(e, name, &fns)) {
        ERR_raise_data(ERR_LIB_ENGINE, ENGINE_R_INIT_FAILED, "%s: bind_engine failed", path);
        goto err;
    }
    jst_release_string(env, so, path);
    jst_release_string(env, id, name);
    return (jlong)(intptr_t)e;
 err:
    ENGINE_free(e);
    jst_release_string(env, so, path);
    jst_release_string(env, id, name);
    jst_throw_ssl(env, "ENGINE_new_bound");
    return 0;
}
