package dev.sluice.host.health;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /health}, for load balancers and supervisors, without a token: {@code 200
 * {"status":"ok"}} while the host runs and every delivery worker is running or starting;
 * {@code 503 {"status":"unavailable","reason":"..."}} while the host stops or when a
 * destination's delivery stopped for good. The reason names no destination and no secret.
 */
final class HealthHandler implements HttpHandler {

    private final HostStatus status;

    public HealthHandler(HostStatus status) {
        this.status = Objects.requireNonNull(status, "status");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!JsonAnswer.readOnly(exchange)) {
            return;
        }
        HostStatus.Health health = status.health();
        if (health.healthy()) {
            JsonAnswer.send(exchange, 200, Map.of("status", "ok"));
        } else {
            JsonAnswer.send(exchange, 503, Map.of("status", "unavailable", "reason",
                    String.join("; ", health.reasons())));
        }
    }
}
