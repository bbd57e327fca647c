#include <string.h>
#include <stdio.h>
#include "jst_common.h"

#define JST_MAX_ERRORS 16

JavaVM *jst_vm = NULL;
int jst_ex_callbacks = -1;
int jst_ex_fatal_alert = -1;

void jst_throw(JNIEnv *env, const char *class_name, const char *msg)
{
    jclass cls = (*env)->FindClass(env, class_name);

    if (cls == NULL)
        return; /* NoClassDefFoundError already pending */
    (*env)->ThrowNew(env, cls, msg);
    (*env)->DeleteLocalRef(env, cls);
}

void jst_throw_ssl(JNIEnv *env, const char *call)
{
    char line[512], reason[256];
    const char *file, *func, *data;
    int lineno, flags, n = 0;
    unsigned long err;
    jclass str_cls, exc_cls;
    jobjectArray queue;
    jmethodID ctor;
    jstring jcall;
    jobject exc;

    str_cls = (*env)->FindClass(env, "java/lang/String");
    if (str_cls == NULL)
        goto clear;
    queue = (*env)->NewObjectArray(env, JST_MAX_ERRORS, str_cls, NULL);
    (*env)->DeleteLocalRef(env, str_cls);
    if (queue == NULL)
        goto clear;
    while (n < JST_MAX_ERRORS
           && (err = ERR_get_error_all(&file, &lineno, &func, &data, &flags)) != 0) {
        jstring s;

        ERR_error_string_n(err, reason, sizeof(reason));
        snprintf(line, sizeof(line), "%s%s%s:%d: %s%s%s",
                 func != NULL && *func ? func : "", func != NULL && *func ? "@" : "",
                 file, lineno, reason,
                 (flags & ERR_TXT_STRING) && data != NULL && *data ? ": " : "",
                 (flags & ERR_TXT_STRING) && data != NULL && *data ? data : "");
        s = (*env)->NewStringUTF(env, line);
        if (s == NULL)
            goto clear;
        (*env)->SetObjectArrayElement(env, queue, n++, s);
        (*env)->DeleteLocalRef(env, s);
    }
    ERR_clear_error();
    if (n < JST_MAX_ERRORS) { /* trim to the entries found */
        jclass cls = (*env)->FindClass(env, "java/lang/String");
        jobjectArray trimmed;
        int i;

        if (cls == NULL)
            return;
        trimmed = (*env)->NewObjectArray(env, n, cls, NULL);
        (*env)->DeleteLocalRef(env, cls);
        if (trimmed == NULL)
            return;
        for (i = 0; i < n; i++) {
            jobject e = (*env)->GetObjectArrayElement(env, queue, i);

            (*env)->SetObjectArrayElement(env, trimmed, i, e);
            (*env)->DeleteLocalRef(env, e);
        }
        (*env)->DeleteLocalRef(env, queue);
        queue = trimmed;
    }
    exc_cls = (*env)->FindClass(env, "org/jstunnel/ssl/OpenSslException");
    if (exc_cls == NULL)
        return;
    ctor = (*env)->GetMethodID(env, exc_cls, "<init>", "(Ljava/lang/String;[Ljava/lang/String;)V");
    jcall = (*env)->NewStringUTF(env, call);
    if (ctor != NULL && jcall != NULL) {
        exc = (*env)->NewObject(env, exc_cls, ctor, jcall, queue);
        if (exc != NULL)
            (*env)->Throw(env, (jthrowable)exc);
    }
    (*env)->DeleteLocalRef(env, exc_cls);
    return;
 clear:
    ERR_clear_error();
}

unsigned char *jst_buffer(JNIEnv *env, jobject buf, jint offset, jint length)
{
    unsigned char *base;
    jlong cap;

    if (buf == NULL) {
        jst_throw(env, "java/lang/NullPointerException", "buffer");
        return NULL;
    }
    base = (*env)->GetDirectBufferAddress(env, buf);
    cap = (*env)->GetDirectBufferCapacity(env, buf);
    if (base == NULL) {
        jst_throw(env, "java/lang/IllegalArgumentException", "buffer is not direct");
        return NULL;
    }
    if (offset < 0 || length < 0 || (jlong)offset + length > cap) {
        jst_throw(env, "java/lang/IndexOutOfBoundsException", "buffer range");
        return NULL;
    }
    return base + offset;
}

const char *jst_string(JNIEnv *env, jstring s)
{
    return s == NULL ? NULL : (*env)->GetStringUTFChars(env, s, NULL);
}

const char *jst_required_string(JNIEnv *env, jstring s, const char *name)
{
    const char *utf;

    if (s == NULL) {
        jst_throw(env, "java/lang/NullPointerException", name);
        return NULL;
    }
    utf = (*env)->GetStringUTFChars(env, s, NULL);
    return utf; /* NULL: OutOfMemoryError pending */
}

void jst_release_string(JNIEnv *env, jstring s, const char *utf)
{
    if (s != NULL && utf != NULL)
        (*env)->ReleaseStringUTFChars(env, s, utf);
}

char *jst_name_text(const X509_NAME *name)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *text = NULL;
    int n;

    if (bio == NULL)
        return NULL;
    if (X509_NAME_print_ex(bio, name, 0,
                           XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_SPC_EQ) < 0)
        goto end;
    n = BIO_pending(bio);
    if (n < 0 || (text = OPENSSL_malloc((size_t)n + 1)) == NULL)
        goto end;
    n = n == 0 ? 0 : BIO_read(bio, text, n);
    if (n < 0) {
        OPENSSL_free(text);
        text = NULL;
        goto end;
    }
    text[n] = '\0';
 end:
    BIO_free(bio);
    return text;
}
