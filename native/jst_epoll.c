/*
 * epoll(7) and FIONREAD for io.ReadinessWatcher: an idle connection waits in the kernel's epoll set
 * instead of in a parked thread. One native per C call; errors come back as -errno, Java decides.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "jst_common.h"
#include "org_jstunnel_io_NativeEpoll.h"

JST_EXPORT jint JNICALL Java_org_jstunnel_io_NativeEpoll_epoll_1create1(JNIEnv *env, jclass cls, jint flags)
{
    int fd;

    (void)env; (void)cls;
    fd = epoll_create1(flags);
    return fd < 0 ? -errno : fd;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_io_NativeEpoll_epoll_1ctl(JNIEnv *env, jclass cls, jint epfd, jint op, jint fd, jint events, jlong data)
{
    struct epoll_event ev;

    (void)env; (void)cls;
    ev.events = (uint32_t)events;
    ev.data.u64 = (uint64_t)data;
    return epoll_ctl(epfd, op, fd, &ev) < 0 ? -errno : 0;
}

/* Waits for up to data.length events; their data words go to data[], their event masks to events[]. */
JST_EXPORT jint JNICALL Java_org_jstunnel_io_NativeEpoll_epoll_1wait(JNIEnv *env, jclass cls, jint epfd, jlongArray data, jintArray events, jint timeout)
{
    struct epoll_event evs[256];
    jlong d[256];
    jint e[256];
    jsize max;
    int n, i;

    (void)cls;
    if (data == NULL || events == NULL) {
        jst_throw(env, "java/lang/NullPointerException", "data/events");
        return -EINVAL;
    }
    max = (*env)->GetArrayLength(env, data);
    if ((*env)->GetArrayLength(env, events) < max)
        max = (*env)->GetArrayLength(env, events);
    if (max > 256)
        max = 256;
    if (max <= 0)
        return 0;
    n = epoll_wait(epfd, evs, max, timeout);
    if (n < 0)
        return -errno;
    for (i = 0; i < n; i++) {
        d[i] = (jlong)evs[i].data.u64;
        e[i] = (jint)evs[i].events;
    }
    (*env)->SetLongArrayRegion(env, data, 0, n, d);
    (*env)->SetIntArrayRegion(env, events, 0, n, e);
    return n;
}

JST_EXPORT jint JNICALL Java_org_jstunnel_io_NativeEpoll_ioctl_1FIONREAD(JNIEnv *env, jclass cls, jint fd)
{
    int n = 0;

    (void)env; (void)cls;
    return ioctl(fd, FIONREAD, &n) < 0 ? -errno : n;
}

/*
 * The descriptor behind a JDK socket channel (sun.nio.ch.SocketChannelImpl's final fdVal), read
 * through JNI, which needs no --add-opens. -1 when the channel has no such field.
 */
JST_EXPORT jint JNICALL Java_org_jstunnel_io_NativeEpoll_channelFd(JNIEnv *env, jclass cls, jobject channel)
{
    jclass ccls;
    jfieldID fid;
    jint fd;

    (void)cls;
    if (channel == NULL)
        return -1;
    ccls = (*env)->GetObjectClass(env, channel);
    if (ccls == NULL)
        return -1;
    fid = (*env)->GetFieldID(env, ccls, "fdVal", "I");
    (*env)->DeleteLocalRef(env, ccls);
    if (fid == NULL) {
        (*env)->ExceptionClear(env); /* NoSuchFieldError: another JDK's layout */
        return -1;
    }
    fd = (*env)->GetIntField(env, channel, fid);
    return fd;
}
