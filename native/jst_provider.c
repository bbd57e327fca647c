/*
 * Providers and FIPS mode (OpenSSL 3), one native per C call, in the default library context.
 * OSSL_PROVIDER handles come from OSSL_PROVIDER_load/try_load and go back with OSSL_PROVIDER_unload.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <openssl/provider.h>
#include <openssl/evp.h>
#include <openssl/conf.h>
#include "jst_crypto.h"
#include "org_jstunnel_ssl_NativeCrypto.h"

#define PROV(p) ((OSSL_PROVIDER *)JST_PTR(p))

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1PROVIDER_1try_1load(JNIEnv *env, jclass cls, jstring name, jboolean retain_fallbacks)
{
    const char *s = jst_required_string(env, name, "name");
    OSSL_PROVIDER *p;

    (void)cls;
    if (s == NULL)
        return 0;
    ERR_clear_error();
    p = OSSL_PROVIDER_try_load(NULL, s, retain_fallbacks ? 1 : 0);
    jst_release_string(env, name, s);
    if (p == NULL) {
        jst_throw_ssl(env, "OSSL_PROVIDER_try_load");
        return 0;
    }
    return (jlong)(intptr_t)p;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1PROVIDER_1unload(JNIEnv *env, jclass cls, jlong p)
{
    (void)cls;
    ERR_clear_error();
    if (OSSL_PROVIDER_unload(PROV(p)) != 1)
        jst_throw_ssl(env, "OSSL_PROVIDER_unload");
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1PROVIDER_1available(JNIEnv *env, jclass cls, jstring name)
{
    const char *s = jst_string(env, name);
    int ok;

    (void)cls;
    if (s == NULL)
        return JNI_FALSE;
    ok = OSSL_PROVIDER_available(NULL, s);
    jst_release_string(env, name, s);
    ERR_clear_error();
    return ok ? JNI_TRUE : JNI_FALSE;
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1PROVIDER_1get0_1name(JNIEnv *env, jclass cls, jlong p)
{
    const char *name = OSSL_PROVIDER_get0_name(PROV(p));

    (void)cls;
    return name == NULL ? NULL : (*env)->NewStringUTF(env, name);
}

/* OSSL_PROVIDER_self_test; throws with the error queue when the provider's self test fails. */
JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1PROVIDER_1self_1test(JNIEnv *env, jclass cls, jlong p)
{
    (void)cls;
    ERR_clear_error();
    if (OSSL_PROVIDER_self_test(PROV(p)) != 1)
        jst_throw_ssl(env, "OSSL_PROVIDER_self_test");
}

/*
 * OSSL_PROVIDER_add_conf_parameter is OpenSSL 3.5's; looked up at run time so the same build works
 * on 3.0 (where it is absent) and uses it on a newer libcrypto.
 */
typedef int (*add_conf_parameter_fn)(OSSL_PROVIDER *, const char *, const char *);

static add_conf_parameter_fn add_conf_parameter(void)
{
    return (add_conf_parameter_fn)dlsym(RTLD_DEFAULT, "OSSL_PROVIDER_add_conf_parameter");
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1PROVIDER_1add_1conf_1parameter_1available(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    return add_conf_parameter() != NULL ? JNI_TRUE : JNI_FALSE;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_OSSL_1PROVIDER_1add_1conf_1parameter(JNIEnv *env, jclass cls, jlong p, jstring name, jstring value)
{
    add_conf_parameter_fn fn = add_conf_parameter();
    const char *n, *v;
    int ok;

    (void)cls;
    if (fn == NULL) {
        jst_throw(env, "java/lang/UnsupportedOperationException",
                  "OSSL_PROVIDER_add_conf_parameter needs OpenSSL 3.5 or later");
        return;
    }
    n = jst_required_string(env, name, "name");
    if (n == NULL)
        return;
    v = jst_required_string(env, value, "value");
    if (v == NULL) {
        jst_release_string(env, name, n);
        return;
    }
    ERR_clear_error();
    ok = fn(PROV(p), n, v);
    jst_release_string(env, name, n);
    jst_release_string(env, value, v);
    if (ok != 1)
        jst_throw_ssl(env, "OSSL_PROVIDER_add_conf_parameter");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_EVP_1default_1properties_1enable_1fips(JNIEnv *env, jclass cls, jboolean enable)
{
    (void)cls;
    ERR_clear_error();
    if (EVP_default_properties_enable_fips(NULL, enable ? 1 : 0) != 1)
        jst_throw_ssl(env, "EVP_default_properties_enable_fips");
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeCrypto_EVP_1default_1properties_1is_1fips_1enabled(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    return EVP_default_properties_is_fips_enabled(NULL) ? JNI_TRUE : JNI_FALSE;
}

/* The configuration file OpenSSL reads when OPENSSL_CONF is unset (for messages). */
JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeCrypto_CONF_1get1_1default_1config_1file(JNIEnv *env, jclass cls)
{
    char *file = CONF_get1_default_config_file();
    jstring s;

    (void)cls;
    if (file == NULL) {
        ERR_clear_error();
        return NULL;
    }
    s = (*env)->NewStringUTF(env, file);
    OPENSSL_free(file);
    return s;
}
