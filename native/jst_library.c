/* Library-wide state: JNI_OnLoad, ex_data slots, OpenSSL version. */
#include "jst_common.h"
#include "org_jstunnel_ssl_NativeSsl.h"

static void free_callbacks(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    JNIEnv *env;

    (void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
    if (ptr == NULL || jst_vm == NULL)
        return;
    /* SSL_free runs from a Java-called native method, so this thread is attached */
    if ((*jst_vm)->GetEnv(jst_vm, (void **)&env, JNI_VERSION_1_8) == JNI_OK)
        (*env)->DeleteGlobalRef(env, (jobject)ptr);
}

JST_EXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)reserved;
    jst_vm = vm;
    if (OPENSSL_init_ssl(0, NULL) != 1)
        return JNI_ERR;
    jst_ex_callbacks = SSL_get_ex_new_index(0, "jstunnel callbacks", NULL, NULL, free_callbacks);
    jst_ex_fatal_alert = SSL_get_ex_new_index(0, "jstunnel fatal alert", NULL, NULL, NULL);
    if (jst_ex_callbacks < 0 || jst_ex_fatal_alert < 0)
        return JNI_ERR;
    return JNI_VERSION_1_8;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeSsl_init(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls; /* all work is in JNI_OnLoad; this call just makes the load happen */
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeSsl_OpenSSL_1version(JNIEnv *env, jclass cls, jint type)
{
    (void)cls;
    return (*env)->NewStringUTF(env, OpenSSL_version(type));
}

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeSsl_OpenSSL_1version_1num(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    return (jlong)OpenSSL_version_num();
}
