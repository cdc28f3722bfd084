package dev.sluice.host.health;

import dev.sluice.host.ingest.TokenExtractor;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /api/v1/stats}: per destination, the delivery worker's state, the queue depth, and
 * the delivery and routing counters since start ({@link HostStatus#stats()}). It reveals
 * destination ids and volumes, so it takes a token, found as on the Events API routes (query
 * {@code token}, {@code X-Auth-Token}, {@code api_key}, {@code p_*}, basic-auth user): a server
 * secret or {@code server.stats_token} ({@link StatsAccess}). The answer holds no secret.
 */
final class StatsHandler implements HttpHandler {

    static final String TAKES = "GET /api/v1/stats takes a server secret (api_keys[].server_secret) or "
            + "server.stats_token";

    private final HostStatus status;
    private final StatsAccess access;

    public StatsHandler(HostStatus status, StatsAccess access) {
        this.status = Objects.requireNonNull(status, "status");
        this.access = Objects.requireNonNull(access, "access");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!JsonAnswer.readOnly(exchange)) {
            return;
        }
        Optional<String> token = TokenExtractor.extract(exchange);
        if (token.isEmpty()) {
            JsonAnswer.error(exchange, 401, "The token is not found: the request has no token. " + TAKES
                    + " in the 'token' query parameter, the X-Auth-Token or api_key header, a p_* query parameter "
                    + "or as the basic-auth user name" + (access.anyConfigured() ? "" : NONE_CONFIGURED));
            return;
        }
        if (!access.allows(token.get())) {
            JsonAnswer.error(exchange, 401, "The token is not accepted. " + TAKES
                    + (access.anyConfigured() ? "" : NONE_CONFIGURED));
            return;
        }
        JsonAnswer.send(exchange, 200, status.stats());
    }

    private static final String NONE_CONFIGURED = "; neither is configured on this host";
}
