package org.jstunnel.it.support;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The log lines of one connection ({@code LOGn[ID]} with the same ID), from accept to the final byte counts. */
public record ConnectionLog(String id, List<LogLine> lines) {

    /**
     * Waits for the connection accepted by {@code service} from {@code clientPort} (or, if
     * {@code clientPort} is 0, the first connection of that service) to be logged as ended.
     */
    public static ConnectionLog awaitEnded(TunnelProcess tunnel, String service, int clientPort) {
        Pattern acc = clientPort == 0 ? StunnelLog.accepted(service) : StunnelLog.accepted(service, clientPort);
        LogLine accepted = tunnel.awaitLog(acc);
        String id = accepted.id();
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (true) {
            List<LogLine> mine = Logs.ofConnection(tunnel.log(), id);
            if (mine.stream().anyMatch(l -> l.matches(StunnelLog.CONNECTION_END))) {
                return new ConnectionLog(id, mine);
            }
            if (d.expired()) {
                throw new AssertionError("connection [" + id + "] (" + accepted.text() + ") not ended in the log within "
                        + Timeouts.LOG_LINE);
            }
            d.pause();
        }
    }

    public LogLine require(Pattern p) {
        return lines.stream().filter(l -> l.matches(p)).findFirst().orElseThrow(() -> new AssertionError(
                "connection [" + id + "] has no log line matching /" + p + "/; its lines:\n" + Logs.render(lines)));
    }

    public void requireAbsent(Pattern p) {
        lines.stream().filter(l -> l.matches(p)).findFirst().ifPresent(l -> {
            throw new AssertionError("connection [" + id + "] unexpectedly logged: " + l + "\n" + Logs.render(lines));
        });
    }

    /** Each pattern matches a line after the previous pattern's line. */
    public void requireInOrder(Pattern... patterns) {
        int from = 0;
        for (Pattern p : patterns) {
            int found = -1;
            for (int i = from; i < lines.size(); i++) {
                if (lines.get(i).matches(p)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                throw new AssertionError("connection [" + id + "]: no /" + p + "/ after line " + from
                        + " (expected order " + List.of(patterns) + ")\n" + Logs.render(lines));
            }
            from = found + 1;
        }
    }

    /** The final line: status ({@code closed}, {@code reset/closed}, ...), bytes sent to TLS, bytes sent to socket. */
    public End end() {
        LogLine l = require(StunnelLog.CONNECTION_END);
        Matcher m = StunnelLog.CONNECTION_END.matcher(l.text());
        if (!m.matches()) {
            throw new AssertionError(l.text());
        }
        return new End(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), l);
    }

    public record End(String status, long sentToTls, long sentToSocket, LogLine line) {
    }
}
