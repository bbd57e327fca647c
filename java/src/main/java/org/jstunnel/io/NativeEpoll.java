package org.jstunnel.io;

import org.jstunnel.ssl.NativeLibrary;

/** epoll(7), FIONREAD and a socket channel's descriptor, from libjstunnel: one native per C call, -errno on error. */
public final class NativeEpoll {
    private NativeEpoll() {}

    static {
        NativeLibrary.load();
    }

    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001, EPOLLERR = 0x008, EPOLLHUP = 0x010, EPOLLRDHUP = 0x2000;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EINTR = 4, EBADF = 9, ENOENT = 2, EEXIST = 17;

    public static native int epoll_create1(int flags);
    public static native int epoll_ctl(int epfd, int op, int fd, int events, long data);
    /** Fills {@code data[i]} and {@code events[i]} for each ready descriptor (at most 256); returns the count. */
    public static native int epoll_wait(int epfd, long[] data, int[] events, int timeoutMillis);
    public static native int ioctl_FIONREAD(int fd);
    /** The descriptor of a JDK {@code SocketChannel}; -1 if this JDK's channel does not tell. */
    public static native int channelFd(Object socketChannel);
}
