package org.jstunnel.it.tls.support;

import java.util.List;
import org.jstunnel.it.support.ConnectionLog;
import org.jstunnel.it.support.Deadline;
import org.jstunnel.it.support.LogLine;
import org.jstunnel.it.support.Logs;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.Timeouts;
import org.jstunnel.it.support.TunnelProcess;

/** The log of a connection accepted after a log mark: for tunnels that serve many tests. */
public final class Conns {
    private Conns() {
    }

    /** Waits for the first connection {@code service} accepted after line {@code mark} to be logged as ended. */
    public static ConnectionLog awaitEnded(TunnelProcess tunnel, int mark, String service) {
        LogLine accepted = tunnel.awaitLog(mark, StunnelLog.accepted(service), 1).get(0);
        Deadline d = Deadline.after(Timeouts.LOG_LINE);
        while (true) {
            List<LogLine> mine = Logs.ofConnection(tunnel.log(), accepted.id());
            if (mine.stream().anyMatch(l -> l.matches(StunnelLog.CONNECTION_END))) {
                return new ConnectionLog(accepted.id(), mine);
            }
            if (d.expired()) {
                throw new AssertionError("connection [" + accepted.id() + "] not ended in the log within " + Timeouts.LOG_LINE);
            }
            d.pause();
        }
    }
}
