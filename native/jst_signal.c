/*
 * stunnel's signal pipe: the handler writes the signal number to a pipe and nothing else
 * (write is async-signal-safe); a Java thread reads the pipe and queues the signal for the main
 * loop. Installed with sigaction, not through the JVM, so that a signal the launcher ignored (HUP,
 * USR1, USR2 stay ignored from exec until this runs) or the JVM reserves (QUIT) is caught too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "jst_common.h"
#include "org_jstunnel_os_NativeSignals.h"

static int signal_pipe[2] = {-1, -1};

static void post(int signo)
{
    int saved = errno;
    unsigned char b = (unsigned char)signo;

    if (signal_pipe[1] >= 0)
        (void)!write(signal_pipe[1], &b, 1);
    errno = saved;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_os_NativeSignals_openPipe(JNIEnv *env, jclass cls)
{
    int fds[2];

    (void)env; (void)cls;
    if (signal_pipe[0] >= 0)
        return signal_pipe[0];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    /* a full pipe drops the signal instead of blocking the handler */
    if (fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    signal_pipe[1] = fds[1];
    signal_pipe[0] = fds[0];
    return fds[0];
}

JST_EXPORT jint JNICALL Java_org_jstunnel_os_NativeSignals_catchSignal(JNIEnv *env, jclass cls, jint signo,
                                                                       jboolean unlessIgnored)
{
    struct sigaction sa, old;

    (void)env; (void)cls;
    if (signo <= 0 || signo >= 65 || signal_pipe[1] < 0)
        return -1;
    if (unlessIgnored) {
        if (sigaction(signo, NULL, &old) != 0)
            return -1;
        if (old.sa_handler == SIG_IGN)
            return 0;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = post;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    return sigaction(signo, &sa, NULL) == 0 ? 1 : -1;
}

JST_EXPORT jboolean JNICALL Java_org_jstunnel_os_NativeSignals_defaultAction(JNIEnv *env, jclass cls, jint signo)
{
    struct sigaction sa;

    (void)env; (void)cls;
    if (signo <= 0 || signo >= 65)
        return JNI_FALSE;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    return sigaction(signo, &sa, NULL) == 0 ? JNI_TRUE : JNI_FALSE;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_os_NativeSignals_next(JNIEnv *env, jclass cls, jint fd)
{
    unsigned char b;
    ssize_t n;

    (void)env; (void)cls;
    do {
        n = read(fd, &b, 1);
    } while (n < 0 && errno == EINTR);
    return n == 1 ? (jint)b : -1;
}
