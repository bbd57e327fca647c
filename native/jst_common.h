/* Shared helpers of libjstunnel: exceptions carrying OpenSSL's error queue, buffer access. */
#ifndef JST_COMMON_H
#define JST_COMMON_H

#include <jni.h>
#include <openssl/ssl.h>
#include <openssl/err.h>

#define JST_EXPORT __attribute__((visibility("default")))

/* The JVM, cached at load so OpenSSL callbacks can reach Java. */
extern JavaVM *jst_vm;
/* SSL ex_data slot holding the global ref of the connection's SslCallbacks object. */
extern int jst_ex_callbacks;
/* SSL ex_data slot set (non-NULL) once a fatal alert was sent or received. */
extern int jst_ex_fatal_alert;

/* Drain this thread's OpenSSL error queue into an OpenSslException(call, queue) and throw it. */
void jst_throw_ssl(JNIEnv *env, const char *call);
/* Throw an exception of the named class with a plain message. */
void jst_throw(JNIEnv *env, const char *class_name, const char *msg);

/* Address of [offset, offset+length) of a direct buffer, or NULL after throwing. */
unsigned char *jst_buffer(JNIEnv *env, jobject buf, jint offset, jint length);

/* UTF-8 of a Java string (NULL stays NULL); release with jst_release_string. */
const char *jst_string(JNIEnv *env, jstring s);
void jst_release_string(JNIEnv *env, jstring s, const char *utf);
/* As jst_string for an argument that must not be null: NULL after throwing NullPointerException(name). */
const char *jst_required_string(JNIEnv *env, jstring s, const char *name);

/* One-line X509_NAME text as stunnel logs it; caller frees with OPENSSL_free. */
char *jst_name_text(const X509_NAME *name);

#define JST_PTR(p) ((void *)(intptr_t)(p))

#endif
