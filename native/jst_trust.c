/*
 * stunnel 5.75's init_ca additions: CAstore (an OSSL_STORE URI of CA certificates) and CAengine (CA
 * certificates an engine returns) into the context's trust store and, on a server, its client CA list.
 * Thin: which sources apply and what is logged is Java's (TrustSources).
 */
#include "jst_common.h"
#include "org_jstunnel_ssl_NativeTrust.h"

#define CTX(p) ((SSL_CTX *)JST_PTR(p))

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTrust_SSL_1CTX_1load_1verify_1store(JNIEnv *env, jclass cls,
        jlong ctx, jstring juri)
{
    const char *uri = jst_required_string(env, juri, "uri");

    (void)cls;
    if (uri == NULL)
        return;
    ERR_clear_error();
    if (!SSL_CTX_load_verify_store(CTX(ctx), uri))
        jst_throw_ssl(env, "SSL_CTX_load_verify_store");
    jst_release_string(env, juri, uri);
}

/*
 * SSL_add_store_cert_subjects_to_stack onto a copy of the context's client CA list, which then replaces
 * it (SSL_CTX_set_client_CA_list takes the copy). Returns how many names the list has.
 */
JST_EXPORT jint JNICALL Java_org_jstunnel_ssl_NativeTrust_SSL_1CTX_1add_1store_1client_1CA(JNIEnv *env, jclass cls,
        jlong ctx, jstring juri)
{
    const char *uri = jst_required_string(env, juri, "uri");
    const STACK_OF(X509_NAME) *cur;
    STACK_OF(X509_NAME) *names;
    int n = 0;

    (void)cls;
    if (uri == NULL)
        return 0;
    ERR_clear_error();
    cur = SSL_CTX_get_client_CA_list(CTX(ctx));
    names = cur != NULL ? sk_X509_NAME_deep_copy(cur, X509_NAME_dup, X509_NAME_free) : sk_X509_NAME_new_null();
    if (names == NULL) {
        jst_throw_ssl(env, "sk_X509_NAME_new_null");
    } else if (!SSL_add_store_cert_subjects_to_stack(names, uri)) {
        sk_X509_NAME_pop_free(names, X509_NAME_free);
        jst_throw_ssl(env, "SSL_add_store_cert_subjects_to_stack");
    } else {
        n = sk_X509_NAME_num(names);
        SSL_CTX_set_client_CA_list(CTX(ctx), names);
    }
    jst_release_string(env, juri, uri);
    return n;
}

/* X509_STORE_add_cert on the context's store (takes its own reference). */
JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTrust_X509_1STORE_1add_1cert(JNIEnv *env, jclass cls,
        jlong ctx, jlong x509)
{
    (void)cls;
    ERR_clear_error();
    if (!X509_STORE_add_cert(SSL_CTX_get_cert_store(CTX(ctx)), (X509 *)JST_PTR(x509)))
        jst_throw_ssl(env, "X509_STORE_add_cert");
}

/* SSL_CTX_add_client_CA: the certificate's subject joins the client CA list. */
JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTrust_SSL_1CTX_1add_1client_1CA(JNIEnv *env, jclass cls,
        jlong ctx, jlong x509)
{
    (void)cls;
    ERR_clear_error();
    if (!SSL_CTX_add_client_CA(CTX(ctx), (X509 *)JST_PTR(x509)))
        jst_throw_ssl(env, "SSL_CTX_add_client_CA");
}
