/*
 * SIGQUIT: the JVM reserves it for thread dumps, so Java cannot handle it; stunnel treats it
 * like SIGTERM. The handler re-raises SIGTERM, which Java does handle (kill is async-signal-safe).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "jst_common.h"
#include "org_jstunnel_os_NativeSignals.h"

static volatile sig_atomic_t forward_to[65];

static void forward(int signo)
{
    if (signo > 0 && signo < 65 && forward_to[signo] > 0)
        kill(getpid(), forward_to[signo]);
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_os_NativeSignals_forward(JNIEnv *env, jclass cls, jint from, jint to)
{
    struct sigaction sa;

    (void)env; (void)cls;
    if (from <= 0 || from >= 65 || to <= 0 || to >= 65)
        return JNI_FALSE;
    forward_to[from] = to;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = forward;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    return sigaction(from, &sa, NULL) == 0 ? JNI_TRUE : JNI_FALSE;
}
