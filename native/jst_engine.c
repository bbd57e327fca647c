/*
 * ENGINE API (OpenSSL 3 still ships it, deprecated): one native per C call, no policy.
 * Handles are ENGINE pointers. ENGINE_by_id, ENGINE_get_first/next and ENGINE_up_ref give a
 * structural reference (release: ENGINE_free); ENGINE_init gives a functional one (release:
 * ENGINE_finish). Java (org.jstunnel.ssl.Engines) owns them; keys and SSL_CTXs take their own.
 */
#include <pthread.h>
#include <string.h>
#include <openssl/engine.h>
#include "jst_crypto.h"
#include "org_jstunnel_ssl_NativeCrypto.h"

#define ENG(p) ((ENGINE *)JST_PTR(p))

/* ---- the no-prompt UI method */

static UI_METHOD *no_prompt_ui = NULL;
static pthread_once_t no_prompt_once = PTHREAD_ONCE_INIT;

static int ui_write_nothing(UI *ui, UI_STRING *uis)
{
    (void)ui; (void)uis;
    return 1; /* prompts and info texts go nowhere */
}

static int ui_read_fail(UI *ui, UI_STRING *uis)
{
    (void)ui;
    switch (UI_get_string_type(uis)) {
    case UIT_PROMPT:
    case UIT_VERIFY:
    case UIT_BOOLEAN:
        ERR_raise_data(ERR_LIB_UI, ERR_R_UI_LIB, "no PIN or passphrase configured (jstunnel never prompts)");
        return 0; /* error: UI_process fails, no login is attempted */
    default:
        return 1;
    }
}

static void create_no_prompt_ui(void)
{
    UI_METHOD *m = UI_create_method("jstunnel (never prompts)");

    if (m == NULL)
        return;
    if (UI_method_set_writer(m, ui_write_nothing) != 0 || UI_method_set_reader(m, ui_read_fail) != 0) {
        UI_destroy_method(m);
        return;
    }
    no_prompt_ui = m;
}

UI_METHOD *jst_ui_method(void)
{
    if (pthread_once(&no_prompt_once, create_no_prompt_ui) != 0)
        return NULL;
    return no_prompt_ui;
}

/* ---- engine lookup and references */

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1by_1id(JNIEnv *env, jclass cls, jstring id)
{
    const char *s = jst_required_string(env, id, "id");
    ENGINE *e;

    (void)cls;
    if (s == NULL)
        return 0;
    ERR_clear_error();
    e = ENGINE_by_id(s);
    jst_release_string(env, id, s);
    if (e == NULL) {
        jst_throw_ssl(env, "ENGINE_by_id");
        return 0;
    }
    return (jlong)(intptr_t)e;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1register_1all_1complete(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    ENGINE_register_all_complete();
}

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1get_1first(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    return (jlong)(intptr_t)ENGINE_get_first();
}

JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1get_1next(JNIEnv *env, jclass cls, jlong e)
{
    (void)env; (void)cls;
    return (jlong)(intptr_t)ENGINE_get_next(ENG(e)); /* releases e's structural reference */
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1up_1ref(JNIEnv *env, jclass cls, jlong e)
{
    (void)cls;
    ERR_clear_error();
    if (ENGINE_up_ref(ENG(e)) != 1)
        jst_throw_ssl(env, "ENGINE_up_ref");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1free(JNIEnv *env, jclass cls, jlong e)
{
    (void)env; (void)cls;
    ENGINE_free(ENG(e));
    ERR_clear_error();
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1get_1id(JNIEnv *env, jclass cls, jlong e)
{
    const char *id = ENGINE_get_id(ENG(e));

    (void)cls;
    return id == NULL ? NULL : (*env)->NewStringUTF(env, id);
}

JST_EXPORT jstring JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1get_1name(JNIEnv *env, jclass cls, jlong e)
{
    const char *name = ENGINE_get_name(ENG(e));

    (void)cls;
    return name == NULL ? NULL : (*env)->NewStringUTF(env, name);
}

/* ---- control commands */

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1ctrl_1cmd_1string(JNIEnv *env, jclass cls, jlong e, jstring cmd, jstring arg)
{
    const char *c = jst_required_string(env, cmd, "cmd"), *a;
    int ok;

    (void)cls;
    if (c == NULL)
        return;
    a = jst_string(env, arg);
    if ((*env)->ExceptionCheck(env)) {
        jst_release_string(env, cmd, c);
        return;
    }
    ERR_clear_error();
    ok = ENGINE_ctrl_cmd_string(ENG(e), c, a, 0);
    jst_release_string(env, cmd, c);
    jst_release_string(env, arg, a);
    if (ok != 1)
        jst_throw_ssl(env, "ENGINE_ctrl_cmd_string");
}

/*
 * The control commands the engine defines (ENGINE_CTRL_GET_FIRST_CMD_TYPE, ..._GET_NEXT_CMD_TYPE,
 * ..._GET_NAME_FROM_CMD), for messages about a command it does not know. Never throws; may be empty.
 */
JST_EXPORT jobjectArray JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1ctrl_1cmd_1names(JNIEnv *env, jclass cls, jlong e)
{
    char names[64][128];
    int n = 0, num;
    jclass str_cls;
    jobjectArray out;

    (void)cls;
    ERR_clear_error();
    num = ENGINE_ctrl(ENG(e), ENGINE_CTRL_GET_FIRST_CMD_TYPE, 0, NULL, NULL);
    while (num > 0 && n < 64) {
        long len = ENGINE_ctrl(ENG(e), ENGINE_CTRL_GET_NAME_LEN_FROM_CMD, num, NULL, NULL);

        if (len > 0 && len < (long)sizeof(names[0])
            && ENGINE_ctrl(ENG(e), ENGINE_CTRL_GET_NAME_FROM_CMD, num, names[n], NULL) > 0)
            n++;
        num = ENGINE_ctrl(ENG(e), ENGINE_CTRL_GET_NEXT_CMD_TYPE, num, NULL, NULL);
    }
    ERR_clear_error();
    str_cls = (*env)->FindClass(env, "java/lang/String");
    if (str_cls == NULL)
        return NULL;
    out = (*env)->NewObjectArray(env, n, str_cls, NULL);
    (*env)->DeleteLocalRef(env, str_cls);
    if (out == NULL)
        return NULL;
    for (int i = 0; i < n; i++) {
        jstring s;

        names[i][sizeof(names[i]) - 1] = '\0';
        s = (*env)->NewStringUTF(env, names[i]);
        if (s == NULL)
            return NULL;
        (*env)->SetObjectArrayElement(env, out, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return out;
}

/* ENGINE_ctrl(e, ENGINE_CTRL_SET_USER_INTERFACE, 0, jst_ui_method(), NULL); false if unsupported. */
JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1set_1user_1interface(JNIEnv *env, jclass cls, jlong e)
{
    UI_METHOD *ui = jst_ui_method();
    int ok;

    (void)env; (void)cls;
    if (ui == NULL)
        return JNI_FALSE;
    ERR_clear_error();
    ok = ENGINE_ctrl(ENG(e), ENGINE_CTRL_SET_USER_INTERFACE, 0, ui, NULL) > 0;
    ERR_clear_error(); /* "unsupported" is an answer, not an error */
    return ok ? JNI_TRUE : JNI_FALSE;
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1init(JNIEnv *env, jclass cls, jlong e)
{
    (void)cls;
    ERR_clear_error();
    if (ENGINE_init(ENG(e)) != 1)
        jst_throw_ssl(env, "ENGINE_init");
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1finish(JNIEnv *env, jclass cls, jlong e)
{
    (void)env; (void)cls;
    ENGINE_finish(ENG(e));
    ERR_clear_error();
}

JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1set_1default_1string(JNIEnv *env, jclass cls, jlong e, jstring list)
{
    const char *s = jst_required_string(env, list, "list");
    int ok;

    (void)cls;
    if (s == NULL)
        return;
    ERR_clear_error();
    ok = ENGINE_set_default_string(ENG(e), s);
    jst_release_string(env, list, s);
    if (ok != 1)
        jst_throw_ssl(env, "ENGINE_set_default_string");
}

/* ---- keys and certificates */

/* ENGINE_load_private_key(e, id, jst_ui_method(), NULL): an EVP_PKEY handle (free: EVP_PKEY_free). */
JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1load_1private_1key(JNIEnv *env, jclass cls, jlong e, jstring id)
{
    const char *s = jst_required_string(env, id, "id");
    EVP_PKEY *pkey;

    (void)cls;
    if (s == NULL)
        return 0;
    ERR_clear_error();
    pkey = ENGINE_load_private_key(ENG(e), s, jst_ui_method(), NULL);
    jst_release_string(env, id, s);
    if (pkey == NULL) {
        jst_throw_ssl(env, "ENGINE_load_private_key");
        return 0;
    }
    return (jlong)(intptr_t)pkey;
}

/*
 * The "LOAD_CERT_CTRL" control command (libp11's, also stunnel's engine_get_cert): an X509 handle
 * (free: X509_free). Throws when the engine returns no certificate.
 */
JST_EXPORT jlong JNICALL Java_org_jstunnel_ssl_NativeCrypto_ENGINE_1ctrl_1cmd_1LOAD_1CERT_1CTRL(JNIEnv *env, jclass cls, jlong e, jstring id)
{
    const char *s = jst_required_string(env, id, "id");
    struct {
        const char *id;
        X509 *cert;
    } parms;

    (void)cls;
    if (s == NULL)
        return 0;
    parms.id = s;
    parms.cert = NULL;
    ERR_clear_error();
    if (ENGINE_ctrl_cmd(ENG(e), "LOAD_CERT_CTRL", 0, &parms, NULL, 0) != 1 && parms.cert != NULL) {
        X509_free(parms.cert);
        parms.cert = NULL;
    }
    jst_release_string(env, id, s);
    if (parms.cert == NULL) {
        jst_throw_ssl(env, "ENGINE_ctrl_cmd");
        return 0;
    }
    return (jlong)(intptr_t)parms.cert;
}

/* SSL_CTX_set_client_cert_engine; false (queue cleared) when the engine has no client-cert method. */
JST_EXPORT jboolean JNICALL Java_org_jstunnel_ssl_NativeCrypto_SSL_1CTX_1set_1client_1cert_1engine(JNIEnv *env, jclass cls, jlong ctx, jlong e)
{
    int ok;

    (void)env; (void)cls;
    ERR_clear_error();
    ok = SSL_CTX_set_client_cert_engine((SSL_CTX *)JST_PTR(ctx), ENG(e)) == 1;
    ERR_clear_error();
    return ok ? JNI_TRUE : JNI_FALSE;
}
