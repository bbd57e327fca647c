package org.jstunnel.metrics;

import java.util.List;

/** The plain-text answers of {@code /live} and {@code /ready}, shared by the TCP and Unix listeners. */
final class AdminResponses {
    record Answer(int status, String body) {}

    private AdminResponses() {}

    /** null: not a health path. */
    static Answer health(String path) {
        if (path.equals("/live")) return new Answer(200, "live\n");
        if (path.equals("/ready")) {
            List<String> problems = Health.problems();
            return problems.isEmpty() ? new Answer(200, "ready\n")
                : new Answer(503, "not ready\n" + String.join("\n", problems) + "\n");
        }
        return null;
    }

    static Answer notFound() {
        return new Answer(404, "not found: try /metrics, /live or /ready\n");
    }
}
