package org.jstunnel.log;

import org.jstunnel.os.LibC;

/** {@code syslog = yes}: through the C library's syslog(3), as stunnel does, ident = the {@code service} option. */
final class SyslogSink implements LogSink {
    SyslogSink(String ident, String facility) {
        LibC.openlog(ident, facility);
    }

    @Override
    public void write(int level, String line, String id, String text) {
        LibC.syslog(level, id + ": " + text);
    }

    @Override
    public void close() {
        LibC.closelog();
    }
}
