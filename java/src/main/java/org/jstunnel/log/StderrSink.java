package org.jstunnel.log;

/** {@code foreground = yes}: log lines also go to stderr. */
final class StderrSink implements LogSink {
    @Override
    public void write(int level, String line, String id, String text) {
        synchronized (System.err) {
            System.err.println(line);
            System.err.flush();
        }
    }
}
