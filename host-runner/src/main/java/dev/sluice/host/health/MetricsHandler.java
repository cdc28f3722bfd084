package dev.sluice.host.health;

import dev.sluice.host.ingest.TokenExtractor;
import dev.sluice.host.metrics.HostMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /metrics}: the host's metrics in the Prometheus text format (written by Prometheus'
 * own client library). Guarded like {@code /api/v1/stats} ({@link StatsAccess}): a server secret
 * or {@code server.stats_token}, found as there, or as {@code Authorization: Bearer TOKEN} (what
 * Prometheus' {@code authorization} scrape setting sends). A scrape reads the queue database, so
 * it runs on a worker thread.
 */
final class MetricsHandler implements HttpHandler {

    static final String TAKES = "GET /metrics takes a server secret (api_keys[].server_secret) or "
            + "server.stats_token";

    private final HostMetrics metrics;
    private final StatsAccess access;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    MetricsHandler(HostMetrics metrics, StatsAccess access) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.access = Objects.requireNonNull(access, "access");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        if (!JsonAnswer.readOnly(exchange)) {
            return;
        }
        Optional<String> token = TokenExtractor.extract(exchange).or(() -> bearer(exchange));
        if (token.isEmpty()) {
            JsonAnswer.error(exchange, 401, "The token is not found: the request has no token. " + TAKES
                    + " as Authorization: Bearer TOKEN, in the 'token' query parameter, the X-Auth-Token or api_key "
                    + "header, or as the basic-auth user name" + (access.anyConfigured() ? "" : NONE_CONFIGURED));
            return;
        }
        if (!access.allows(token.get())) {
            JsonAnswer.error(exchange, 401, "The token is not accepted. " + TAKES
                    + (access.anyConfigured() ? "" : NONE_CONFIGURED));
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, metrics.scrape());
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, writer.getContentType());
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (exchange.getRequestMethod().toString().equals("HEAD")) {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.size());
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(body.toByteArray()));
    }

    private static Optional<String> bearer(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        return Optional.empty();
    }

    private static final String NONE_CONFIGURED = "; neither is configured on this host";
}
