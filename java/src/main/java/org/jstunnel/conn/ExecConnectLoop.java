package org.jstunnel.conn;

import java.util.Map;
import org.jstunnel.log.Log;
import org.jstunnel.log.LogContext;

/**
 * An exec+connect service (client.c exec_connect_loop): no listener; started with the daemon, it
 * runs its {@code exec} program as the local end of one connection to its {@code connect} targets.
 * With {@code retry = DELAY} (stunnel 5.75; {@code yes} = 1000) it starts the program again DELAY
 * milliseconds after each round ends (at once with 0), until the
 * service is stopped (a reload that changes or removes it, or shutdown); the rounds' log ids are
 * {@code ID_0}, {@code ID_1}, ...
 */
public final class ExecConnectLoop implements Runnable {
    private final Endpoint endpoint;
    private final ExecSpec exec;
    private final long retryMillis; // -1: no retry
    private volatile boolean stopped;
    private volatile Thread thread;

    public ExecConnectLoop(Endpoint endpoint, ExecSpec exec, long retryMillis) {
        this.endpoint = endpoint;
        this.exec = exec;
        this.retryMillis = retryMillis;
    }

    /** Starts the loop on its own virtual thread. */
    public void start() {
        Log.debug("Starting exec+connect service [" + endpoint.name() + "]");
        thread = Thread.ofVirtual().name("jstunnel-exec-" + endpoint.name()).start(this);
    }

    /** No further rounds (stunnel sets retry = -1); a round in progress runs to its end. */
    public void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) t.interrupt(); // only the pause between rounds waits for an interrupt
    }

    @Override
    public void run() {
        long seq = ConnectionIds.nextSequence();
        long rr = endpoint.nextRoundRobin();
        String fresh = ConnectionIds.of(endpoint.logIdType(), seq);
        LogContext freshContext = new LogContext(fresh, endpoint.logLevel());
        Log.setContext(freshContext);
        Log.debug("Service [" + endpoint.name() + "] started");
        Log.clearContext();
        Connection.LocalOpener program = () -> endpoint.pty() ? PtyProgram.start(exec, Map.of(), endpoint.stackSize())
            : LocalProgram.start(exec, Map.of(), endpoint.stackSize());
        if (retryMillis < 0) {
            new Connection(endpoint, fresh, rr).runRound(program);
            return;
        }
        for (long round = 0; !stopped; round++) {
            String id = fresh + "_" + round;
            new Connection(endpoint, id, rr).runRound(program);
            if (stopped) return;
            Log.setContext(new LogContext(id, endpoint.logLevel()));
            Log.info("Retrying an exec+connect section");
            Log.clearContext();
            try {
                if (retryMillis > 0) Thread.sleep(retryMillis);
            } catch (InterruptedException e) {
                return; // stopped
            }
            rr++;
        }
    }
}
