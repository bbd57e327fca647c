package org.jstunnel.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.jstunnel.conn.ConnectionObserver;

/**
 * The process's metrics, off until {@link #enable()} (the {@code adminListen} option): without it
 * connections get {@link ConnectionObserver#NONE} and no Prometheus class is ever loaded.
 */
public final class Metrics {
    private static volatile ConnectionMetrics connections;
    private static volatile TokenMetricsFamily tokens;
    private static volatile PrometheusRegistry registry;

    private Metrics() {}

    /** Registers every metric family (once); returns the registry the admin listener serves. */
    public static synchronized PrometheusRegistry enable() {
        if (registry == null) {
            PrometheusRegistry r = new PrometheusRegistry();
            connections = new ConnectionMetrics(r);
            tokens = new TokenMetricsFamily(r);
            registry = r;
        }
        return registry;
    }

    /** The observer of a service's connections; the same counters across reloads. */
    public static ConnectionObserver service(String name) {
        ConnectionMetrics c = connections;
        return c == null ? ConnectionObserver.NONE : c.service(name);
    }

    /**
     * Seam for the token code (issue 10): the figures of one token, by its label. A no-op while
     * metrics are off, so key code can call it unconditionally.
     */
    public static TokenMetrics token(String label) {
        TokenMetricsFamily t = tokens;
        return t == null ? TokenMetrics.NONE : t.token(label);
    }
}
