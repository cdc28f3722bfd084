package dev.sluice.host.ingest;

import dev.sluice.host.config.ApiKey;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /api/v1/events/dry-run?destination=ID} with a server secret: the Events API's bodies,
 * answered with what the destination would do with each event ({@link DryRunner}); nothing is
 * stored or sent.
 */
public final class DryRunHandler implements HttpHandler {

    public static final String PATH = "/api/v1/events/dry-run";

    private final ApiKeyTokens tokens;
    private final DryRunner runner;
    private final long maxBodySize;

    public DryRunHandler(List<ApiKey> apiKeys, DryRunner runner, long maxBodySize) {
        this.tokens = new ApiKeyTokens(apiKeys);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.maxBodySize = maxBodySize;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        if (exchange.isInIoThread()) {
            // Transforms and templates may run up to their time limit: never on an IO thread.
            exchange.dispatch(this);
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            Answers.error(exchange, 405, "Method " + exchange.getRequestMethod() + " is not allowed on " + PATH
                    + ": use POST");
            return;
        }
        Optional<String> token = TokenExtractor.extract(exchange);
        Optional<ApiKeyTokens.Match> key = token.flatMap(t -> tokens.find(IngestRoute.S2S, t));
        if (key.isEmpty()) {
            Answers.error(exchange, 401, "The dry run takes a server secret (api_keys[].server_secret) in the "
                    + "'token' query parameter or the X-Auth-Token header");
            return;
        }
        Deque<String> destination = exchange.getQueryParameters().get("destination");
        if (destination == null || destination.isEmpty() || destination.peekFirst().isBlank()) {
            Answers.error(exchange, 400, "Name the destination: " + PATH + "?destination=ID");
            return;
        }
        exchange.startBlocking();
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize + 1));
        }
        if (body.length > maxBodySize) {
            Answers.error(exchange, 413, "The body is larger than server.max_body_size (" + maxBodySize + " bytes)");
            return;
        }
        try {
            byte[] answer = runner.run(body, destination.peekFirst(), key.get().key().id(), key.get().key().storedId(),
                    IngestHttpHandler.clientIp(exchange));
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(ByteBuffer.wrap(answer));
        } catch (DryRunner.Refused e) {
            Answers.error(exchange, e.status(), e.getMessage());
        }
    }
}
