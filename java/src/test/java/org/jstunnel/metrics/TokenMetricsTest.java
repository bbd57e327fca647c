package org.jstunnel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The seam the token code (issue 10) reports through, and the key checks of /ready. */
class TokenMetricsTest {
    @Test
    void tokenFiguresAppearUnderTheTokensLabel() throws IOException {
        var registry = Metrics.enable();
        TokenMetrics t = Metrics.token("softhsm-a");
        assertSame(t, Metrics.token("softhsm-a"), "one object per token");
        t.sessions(3, 8);
        t.signatureStarted();
        t.signatureStarted();
        t.signatureDone(2_000_000, true);
        t.error("CKR_DEVICE_ERROR");
        t.error("CKR_DEVICE_ERROR");
        t.recovered();
        t.replica("slot-1", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
        String text = out.toString(StandardCharsets.UTF_8);
        for (String line : new String[] {
            "jstunnel_token_sessions_in_use{token=\"softhsm-a\"} 3.0",
            "jstunnel_token_sessions_limit{token=\"softhsm-a\"} 8.0",
            "jstunnel_token_signatures_in_flight{token=\"softhsm-a\"} 1.0",
            "jstunnel_token_signature_duration_seconds_count{result=\"ok\",token=\"softhsm-a\"} 1",
            "jstunnel_token_errors_total{ckr=\"CKR_DEVICE_ERROR\",token=\"softhsm-a\"} 2.0",
            "jstunnel_token_recoveries_total{token=\"softhsm-a\"} 1.0",
            "jstunnel_token_replica_up{replica=\"slot-1\",token=\"softhsm-a\"} 0.0"}) {
            assertTrue(text.contains(line + "\n"), line + " in\n" + text);
        }
    }

    @Test
    void aLostKeyMakesReadyFail() {
        Health.accepting(true);
        AtomicBoolean usable = new AtomicBoolean(true);
        Health.registerKey("server.key", usable::get);
        try {
            assertEquals(java.util.List.of(), Health.problems());
            usable.set(false);
            assertEquals(java.util.List.of("key [server.key] not usable"), Health.problems());
            assertEquals(503, AdminResponses.health("/ready").status());
        } finally {
            Health.unregisterKey("server.key");
            Health.accepting(false);
        }
    }
}
