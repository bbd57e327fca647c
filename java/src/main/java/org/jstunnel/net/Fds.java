package org.jstunnel.net;

import java.nio.channels.Channel;

/** The file descriptor number of a channel, for stunnel's "(FD=N)" in log lines; -1 if unknown. */
public final class Fds {
    private Fds() {}

    public static int of(Channel ch) {
        try {
            // sun.nio.ch channels implement SelChImpl.getFDVal(); bin/jstunnel opens sun.nio.ch for this
            var m = ch.getClass().getMethod("getFDVal");
            m.setAccessible(true);
            return (int) m.invoke(ch);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
