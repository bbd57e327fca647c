package org.jstunnel.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The {@code jstunnel_token_*} families; one {@link TokenMetrics} per token label. */
final class TokenMetricsFamily {
    private final Gauge sessionsInUse;
    private final Gauge sessionsLimit;
    private final Gauge inFlight;
    private final Histogram signSeconds;
    private final Counter errors;
    private final Counter recoveries;
    private final Gauge replicaUp;
    private final ConcurrentMap<String, TokenMetrics> tokens = new ConcurrentHashMap<>();

    TokenMetricsFamily(PrometheusRegistry r) {
        sessionsInUse = Gauge.builder().name("jstunnel_token_sessions_in_use").help("PKCS#11 sessions open")
            .labelNames("token").register(r);
        sessionsLimit = Gauge.builder().name("jstunnel_token_sessions_limit").help("PKCS#11 sessions allowed")
            .labelNames("token").register(r);
        inFlight = Gauge.builder().name("jstunnel_token_signatures_in_flight").help("Signatures waiting for the token")
            .labelNames("token").register(r);
        signSeconds = Histogram.builder().name("jstunnel_token_signature_duration_seconds").unit(Unit.SECONDS)
            .help("Signing latency on the token").classicOnly()
            .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .labelNames("token", "result").register(r);
        errors = Counter.builder().name("jstunnel_token_errors").help("PKCS#11 errors by CKR code")
            .labelNames("token", "ckr").register(r);
        recoveries = Counter.builder().name("jstunnel_token_recoveries").help("Times the token came back after a loss")
            .labelNames("token").register(r);
        replicaUp = Gauge.builder().name("jstunnel_token_replica_up").help("1 when the replica is usable")
            .labelNames("token", "replica").register(r);
    }

    TokenMetrics token(String label) {
        return tokens.computeIfAbsent(label, this::create);
    }

    private TokenMetrics create(String t) {
        var inUse = sessionsInUse.labelValues(t);
        var limit = sessionsLimit.labelValues(t);
        var flying = inFlight.labelValues(t);
        var ok = signSeconds.labelValues(t, "ok");
        var failed = signSeconds.labelValues(t, "error");
        var recovered = recoveries.labelValues(t);
        return new TokenMetrics() {
            @Override public void sessions(int n, int max) { inUse.set(n); limit.set(max); }
            @Override public void signatureStarted() { flying.inc(); }
            @Override public void signatureDone(long nanos, boolean success) {
                flying.dec();
                (success ? ok : failed).observe(nanos / 1e9);
            }
            @Override public void error(String ckr) { errors.labelValues(t, ckr).inc(); }
            @Override public void recovered() { recovered.inc(); }
            @Override public void replica(String replica, boolean up) { replicaUp.labelValues(t, replica).set(up ? 1 : 0); }
        };
    }
}
