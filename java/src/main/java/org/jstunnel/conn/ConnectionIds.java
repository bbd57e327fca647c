package org.jstunnel.conn;

import java.util.concurrent.atomic.AtomicLong;

/** {@code logId = sequential}: a number per connection, unique within this process. */
final class ConnectionIds {
    private ConnectionIds() {}

    private static final AtomicLong NEXT = new AtomicLong();

    static String next() { return Long.toString(NEXT.getAndIncrement()); }
}
