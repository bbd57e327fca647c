/*
 * syslog(3) for the log's syslog sink. Through JNI rather than JNA: JNA's first use runs
 * `ldconfig -p` in a child process (start-up time) and each call copies the message into a
 * Cleaner-tracked native buffer.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include "jst_common.h"
#include "org_jstunnel_os_NativeSyslog.h"

/* openlog keeps the pointer: the ident must outlive every syslog call until the next openlog */
static char *current_ident;

JST_EXPORT void JNICALL Java_org_jstunnel_os_NativeSyslog_openlog(JNIEnv *env, jclass cls, jstring ident, jint option, jint facility)
{
    const char *s;
    char *copy;
    char *old;

    (void)cls;
    s = jst_required_string(env, ident, "ident");
    if (s == NULL)
        return;
    copy = strdup(s);
    jst_release_string(env, ident, s);
    if (copy == NULL) {
        jst_throw(env, "java/lang/OutOfMemoryError", "openlog");
        return;
    }
    old = current_ident;
    openlog(copy, option, facility);
    current_ident = copy;
    free(old);
}

JST_EXPORT void JNICALL Java_org_jstunnel_os_NativeSyslog_syslog(JNIEnv *env, jclass cls, jint priority, jstring message)
{
    const char *s;

    (void)cls;
    if (message == NULL)
        return;
    s = (*env)->GetStringUTFChars(env, message, NULL);
    if (s == NULL)
        return; /* OutOfMemoryError pending */
    syslog(priority, "%s", s); /* never a peer-influenced format */
    (*env)->ReleaseStringUTFChars(env, message, s);
}

JST_EXPORT void JNICALL Java_org_jstunnel_os_NativeSyslog_closelog(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    closelog();
}
