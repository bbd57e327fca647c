package org.jstunnel.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jstunnel.conn.ConnectionObserver;

/**
 * The connection metric families, labelled by service. Each service's label children are looked up
 * once ({@link Service}), so a connection only adds to the client's LongAdder-based counters.
 */
final class ConnectionMetrics {
    private final Counter accepted;
    private final Gauge active;
    private final Counter ended;
    private final Counter handshakes;
    private final Counter handshakeFailures;
    private final Histogram handshakeSeconds;
    private final Counter bytes;
    private final Counter connectFailures;
    private final ConcurrentMap<String, Service> services = new ConcurrentHashMap<>();

    ConnectionMetrics(PrometheusRegistry r) {
        accepted = Counter.builder().name("jstunnel_connections").help("Connections accepted")
            .labelNames("service").register(r);
        active = Gauge.builder().name("jstunnel_connections_active").help("Connections open now")
            .labelNames("service").register(r);
        ended = Counter.builder().name("jstunnel_connections_ended")
            .help("Connections ended, by how: closed, error, timeout, handshake_failed, connect_failed")
            .labelNames("service", "how").register(r);
        handshakes = Counter.builder().name("jstunnel_handshakes").help("TLS handshakes completed, full or resumed")
            .labelNames("service", "session").register(r);
        handshakeFailures = Counter.builder().name("jstunnel_handshake_failures")
            .help("TLS handshakes that failed, by reason (OpenSSL's reason string, timeout, peer_disconnected)")
            .labelNames("service", "reason").register(r);
        handshakeSeconds = Histogram.builder().name("jstunnel_handshake_duration_seconds").unit(Unit.SECONDS)
            .help("TLS handshake duration").classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .labelNames("service", "session").register(r);
        bytes = Counter.builder().name("jstunnel_transferred_bytes").unit(Unit.BYTES)
            .help("Bytes of ended connections: to_tls = sent to TLS, to_socket = sent to the socket (stunnel's closing line)")
            .labelNames("service", "direction").register(r);
        connectFailures = Counter.builder().name("jstunnel_backend_connect_failures")
            .help("Connections whose connect (or redirect) targets all failed").labelNames("service").register(r);
    }

    ConnectionObserver service(String name) {
        Service s = services.get(name); // get first: computeIfAbsent may lock a bin even when present
        return s != null ? s : services.computeIfAbsent(name, Service::new);
    }

    /** One service's label children; the outcome and reason children are the client's own map lookups. */
    private final class Service implements ConnectionObserver {
        private final String name;
        private final CounterDataPoint accepted;
        private final GaugeDataPoint active;
        private final CounterDataPoint full, resumed, toTls, toSocket, connectFailed;
        private final DistributionDataPoint fullSeconds, resumedSeconds;
        private final java.util.Map<String, CounterDataPoint> endings = new java.util.HashMap<>(); // fixed once built

        Service(String name) {
            this.name = name;
            this.accepted = ConnectionMetrics.this.accepted.labelValues(name);
            this.active = ConnectionMetrics.this.active.labelValues(name);
            this.full = handshakes.labelValues(name, "full");
            this.resumed = handshakes.labelValues(name, "resumed");
            this.fullSeconds = handshakeSeconds.labelValues(name, "full");
            this.resumedSeconds = handshakeSeconds.labelValues(name, "resumed");
            this.toTls = bytes.labelValues(name, "to_tls");
            this.toSocket = bytes.labelValues(name, "to_socket");
            this.connectFailed = connectFailures.labelValues(name);
            for (String how : Endings.ALL) endings.put(how, ended.labelValues(name, how));
        }

        @Override
        public void opened() {
            accepted.inc();
            active.inc();
        }

        @Override
        public void handshakeDone(boolean wasResumed, long nanos) {
            (wasResumed ? resumed : full).inc();
            (wasResumed ? resumedSeconds : fullSeconds).observe(nanos / 1e9);
        }

        @Override
        public void ended(Exception failure, String timedOut, boolean inHandshake, long sent, long received) {
            active.dec();
            toTls.inc(sent);
            toSocket.inc(received);
            String how = Endings.how(failure, timedOut, inHandshake);
            endings.get(how).inc();
            if (how.equals(Endings.HANDSHAKE_FAILED)) {
                handshakeFailures.labelValues(name, Endings.handshakeReason(failure, timedOut)).inc();
            } else if (how.equals(Endings.CONNECT_FAILED)) {
                connectFailed.inc();
            }
        }
    }
}
