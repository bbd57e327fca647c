/* SSL_CTX: one per service, configured from Java. */
#include "jst_common.h"
#include "org_jstunnel_ssl_NativeSsl.h"

#define CTX(p) ((SSL_CTX *)JST_PTR(p))

int jst_verify_callback(int preverify_ok, X509_STORE_CTX *store);

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1new(JNIEnv *env, jclass cls, jboolean server)
{
    SSL_CTX *ctx;

    (void)cls;
    ERR_clear_error();
    ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (ctx == NULL) {
        jst_throw_ssl(env, "SSL_CTX_new");
        return 0;
    }
    return (jlong)(intptr_t)ctx;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1free(JNIEnv *env, jclass cls, jlong ctx)
{
    (void)env; (void)cls;
    SSL_CTX_free(CTX(ctx));
}

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1set_1options(JNIEnv *env, jclass cls, jlong ctx, jlong op)
{
    (void)env; (void)cls;
    return (jlong)SSL_CTX_set_options(CTX(ctx), (uint64_t)op);
}

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1clear_1options(JNIEnv *env, jclass cls, jlong ctx, jlong op)
{
    (void)env; (void)cls;
    return (jlong)SSL_CTX_clear_options(CTX(ctx), (uint64_t)op);
}

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1get_1options(JNIEnv *env, jclass cls, jlong ctx)
{
    (void)env; (void)cls;
    return (jlong)SSL_CTX_get_options(CTX(ctx));
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1set_1min_1proto_1version(JNIEnv *env, jclass cls, jlong ctx, jint v)
{
    (void)cls;
    ERR_clear_error();
    if (SSL_CTX_set_min_proto_version(CTX(ctx), v) != 1)
        jst_throw_ssl(env, "SSL_CTX_set_min_proto_version");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1set_1max_1proto_1version(JNIEnv *env, jclass cls, jlong ctx, jint v)
{
    (void)cls;
    ERR_clear_error();
    if (SSL_CTX_set_max_proto_version(CTX(ctx), v) != 1)
        jst_throw_ssl(env, "SSL_CTX_set_max_proto_version");
}

/* The string setters share one shape: call, check, throw with the call's name. */
typedef int (*ctx_string_fn)(SSL_CTX *, const char *);

static void ctx_set_string(JNIEnv *env, jlong ctx, jstring value, ctx_string_fn fn, const char *name)
{
    const char *s = jst_required_string(env, value, name);

    if (s == NULL)
        return;
    ERR_clear_error();
    if (fn(CTX(ctx), s) != 1)
        jst_throw_ssl(env, name);
    jst_release_string(env, value, s);
}

static int set1_groups_list(SSL_CTX *ctx, const char *s) { return (int)SSL_CTX_set1_groups_list(ctx, s); }
static int use_chain_file(SSL_CTX *ctx, const char *s) { return SSL_CTX_use_certificate_chain_file(ctx, s); }
static int use_key_file(SSL_CTX *ctx, const char *s) { return SSL_CTX_use_PrivateKey_file(ctx, s, SSL_FILETYPE_PEM); }

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1set_1cipher_1list(JNIEnv *env, jclass cls, jlong ctx, jstring s)
{
    (void)cls;
    ctx_set_string(env, ctx, s, SSL_CTX_set_cipher_list, "SSL_CTX_set_cipher_list");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1set_1ciphersuites(JNIEnv *env, jclass cls, jlong ctx, jstring s)
{
    (void)cls;
    ctx_set_string(env, ctx, s, SSL_CTX_set_ciphersuites, "SSL_CTX_set_ciphersuites");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1set1_1groups_1list(JNIEnv *env, jclass cls, jlong ctx, jstring s)
{
    (void)cls;
    ctx_set_string(env, ctx, s, set1_groups_list, "SSL_CTX_set1_groups_list");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1set_1security_1level(JNIEnv *env, jclass cls, jlong ctx, jint level)
{
    (void)env; (void)cls;
    SSL_CTX_set_security_level(CTX(ctx), level);
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1use_1certificate_1chain_1file(JNIEnv *env, jclass cls, jlong ctx, jstring s)
{
    (void)cls;
    ctx_set_string(env, ctx, s, use_chain_file, "SSL_CTX_use_certificate_chain_file");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1use_1PrivateKey_1file(JNIEnv *env, jclass cls, jlong ctx, jstring s)
{
    (void)cls;
    ctx_set_string(env, ctx, s, use_key_file, "SSL_CTX_use_PrivateKey_file");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1check_1private_1key(JNIEnv *env, jclass cls, jlong ctx)
{
    (void)cls;
    ERR_clear_error();
    if (SSL_CTX_check_private_key(CTX(ctx)) != 1)
        jst_throw_ssl(env, "SSL_CTX_check_private_key");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1load_1verify_1locations(JNIEnv *env, jclass cls, jlong ctx, jstring file, jstring dir)
{
    const char *f = jst_string(env, file), *d;

    (void)cls;
    if ((*env)->ExceptionCheck(env))
        return;
    d = jst_string(env, dir);
    if ((*env)->ExceptionCheck(env)) {
        jst_release_string(env, file, f);
        return;
    }
    ERR_clear_error();
    if (SSL_CTX_load_verify_locations(CTX(ctx), f, d) != 1)
        jst_throw_ssl(env, "SSL_CTX_load_verify_locations");
    jst_release_string(env, file, f);
    jst_release_string(env, dir, d);
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1load_1client_1CA_1file(JNIEnv *env, jclass cls, jlong ctx, jstring file)
{
    const char *f = jst_string(env, file);
    STACK_OF(X509_NAME) *names;

    (void)cls;
    if (f == NULL)
        return;
    ERR_clear_error();
    names = SSL_load_client_CA_file(f);
    if (names == NULL)
        jst_throw_ssl(env, "SSL_load_client_CA_file");
    else
        SSL_CTX_set_client_CA_list(CTX(ctx), names); /* takes ownership */
    jst_release_string(env, file, f);
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1set_1verify(JNIEnv *env, jclass cls, jlong ctx, jint mode)
{
    (void)env; (void)cls;
    SSL_CTX_set_verify(CTX(ctx), mode, mode == SSL_VERIFY_NONE ? NULL : jst_verify_callback);
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1set_1session_1id_1context(JNIEnv *env, jclass cls, jlong ctx, jbyteArray sid)
{
    jbyte *b;
    jsize n;

    (void)cls;
    n = (*env)->GetArrayLength(env, sid);
    b = (*env)->GetByteArrayElements(env, sid, NULL);
    if (b == NULL)
        return;
    ERR_clear_error();
    if (SSL_CTX_set_session_id_context(CTX(ctx), (const unsigned char *)b, (unsigned int)n) != 1)
        jst_throw_ssl(env, "SSL_CTX_set_session_id_context");
    (*env)->ReleaseByteArrayElements(env, sid, b, JNI_ABORT);
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_SSL_1CTX_1set_1mode(JNIEnv *env, jclass cls, jlong ctx, jlong mode)
{
    (void)env; (void)cls;
    SSL_CTX_set_mode(CTX(ctx), (long)mode);
}
