package dev.sluice.emulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The emulator's single HTTP handler. For API and pixel requests, in order: faults (latency, drop, fixed
 * answers), authentication (bearer token; {@code hapikey} refused), scopes, rate limits, then the endpoint.
 * Every such request is recorded and counted. {@code /_emulator/...} goes to the admin API unrecorded.
 */
final class ApiDispatcher implements HttpHandler {
    static final int MAX_BODY_BYTES = 20 * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(ApiDispatcher.class.getName());

    /** Delays a request for an injected latency fault; replaceable so tests need not wait. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final EmulatorComponents components;
    private final AdminApi admin;
    private final Sleeper sleeper;

    ApiDispatcher(EmulatorComponents components, AdminApi admin, Sleeper sleeper) {
        this.components = Objects.requireNonNull(components);
        this.admin = Objects.requireNonNull(admin);
        this.sleeper = Objects.requireNonNull(sleeper);
    }

    private record Outcome(ApiResponse response, RateLimitPolicy refusedBy) {
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            ApiRequest request = read(exchange);
            if (request == null) {
                send(exchange, ErrorBodies.validation("Request body larger than " + MAX_BODY_BYTES + " bytes"));
                return;
            }
            if (request.rawPath().equals("/_emulator") || request.rawPath().startsWith("/_emulator/")) {
                send(exchange, admin.handle(request));
                return;
            }
            Clock clock = components.clock();
            Instant at = clock.instant();
            Endpoint.Route route = Endpoint.route(request.method(), request.rawPath());
            Outcome outcome = process(request, route);
            String token = request.bearerToken();
            String label = token == null ? null : TokenLabel.of(token);
            components.journal().add(record(request, at, outcome.response().status(), route.endpoint(), label));
            components.stats().record(route.endpoint(), outcome.response().status(), label, at, outcome.refusedBy());
            send(exchange, outcome.response());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Emulator failed to handle " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getRawPath(), e);
            send(exchange, ApiResponse.json(500, ErrorBodies.error("INTERNAL_ERROR",
                    "The emulator failed: " + e.getClass().getSimpleName())));
        } finally {
            exchange.close();
        }
    }

    private Outcome process(ApiRequest request, Endpoint.Route route) {
        FaultInjector.Decision fault = components.faults().evaluate(request.rawPath());
        if (fault.latencyMillis() > 0) {
            try {
                sleeper.sleep(fault.latencyMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(ApiResponse.drop(), null);
            }
        }
        if (fault.response() != null) {
            return new Outcome(fault.response(), null);
        }
        Endpoint endpoint = route.endpoint();
        if (endpoint == Endpoint.LEGACY_EVENT_PIXEL) {
            return new Outcome(route.methodAllowed() ? components.pixel().handle(request) : methodNotAllowed(request),
                    null);
        }
        if (request.queryParam("hapikey") != null) {
            return new Outcome(ErrorBodies.unauthorized(ErrorBodies.API_KEY_REFUSED), null);
        }
        String token = request.bearerToken();
        if (token == null) {
            return new Outcome(ErrorBodies.unauthorized(ErrorBodies.NO_CREDENTIALS), null);
        }
        if (!components.settings().accepts(token)) {
            return new Outcome(ErrorBodies.unauthorized(ErrorBodies.INVALID_TOKEN), null);
        }
        String label = TokenLabel.of(token);
        RateLimiter limiter = components.limiter();
        if (endpoint.requiredScope().isPresent()
                && !components.settings().scopesOf(token).contains(endpoint.requiredScope().get())) {
            return new Outcome(ErrorBodies.missingScopes(List.of(endpoint.requiredScope().get()))
                    .withHeaders(limiter.peek(label).headers()), null);
        }
        boolean exempt = endpoint.isEventSend() && !components.settings().eventSendsRateLimited();
        RateLimiter.Decision limit = exempt ? limiter.peek(label) : limiter.acquire(label);
        if (limit.refusedBy() != null) {
            return new Outcome(ErrorBodies.rateLimited(limit.refusedBy()).withHeaders(limit.headers()),
                    limit.refusedBy());
        }
        ApiResponse response;
        if (!route.methodAllowed()) {
            response = methodNotAllowed(request);
        } else if ("POST".equals(request.method()) && !isJson(request.header("content-type"))) {
            response = ApiResponse.json(415, ErrorBodies.error("VALIDATION_ERROR", "Content type '"
                    + request.header("content-type") + "' not supported: send Content-Type: application/json"));
        } else {
            response = dispatch(request, route);
        }
        // An exempt call is not counted, so its answer carries no rate-limit headers: a client may
        // read those headers (or a 429) on an event send as "this portal counts event sends".
        return new Outcome(exempt ? response : response.withHeaders(limit.headers()), null);
    }

    private ApiResponse dispatch(ApiRequest request, Endpoint.Route route) {
        return switch (route.endpoint()) {
            case CONTACTS_BATCH_UPSERT -> components.faults().takeIgnoreBody(request.rawPath())
                    ? ignoredBody()
                    : components.upserts().handle(request);
            case CONTACTS_LEGACY_CREATE_OR_UPDATE -> components.legacyContacts().handle(request, route.pathParam());
            case PROPERTIES_LIST -> components.propertyList().list(route.pathParam());
            case PROPERTIES_LEGACY_LIST -> components.propertyList().legacyList();
            case EVENT_DEFINITIONS_LIST -> components.definitionHandler().list(request);
            case EVENT_DEFINITION_GET -> components.definitionHandler().get(route.pathParam());
            case EVENTS_SEND -> components.eventSends().send(request);
            case EVENTS_SEND_BATCH -> components.eventSends().sendBatch(request);
            case LEGACY_EVENT_PIXEL -> components.pixel().handle(request);
            case UNKNOWN -> ErrorBodies.notFound("The HubSpot emulator has no endpoint " + request.method() + " "
                    + request.rawPath() + " (it serves contacts batch upsert, legacy createOrUpdate, contact"
                    + " properties, event definitions, event sends and the legacy event pixel)");
        };
    }

    private ApiResponse ignoredBody() {
        var body = JsonCodec.object();
        String now = components.clock().instant().toString();
        body.put("status", "COMPLETE");
        body.putArray("results");
        body.put("startedAt", now);
        body.put("completedAt", now);
        return ApiResponse.json(200, body);
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).trim().startsWith("application/json");
    }

    private static ApiResponse methodNotAllowed(ApiRequest request) {
        return ApiResponse.json(405, ErrorBodies.error("VALIDATION_ERROR", "Method " + request.method()
                + " is not allowed on " + request.rawPath()));
    }

    private static ApiRequest read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
        return new ApiRequest(exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                exchange.getRequestURI().getRawPath(),
                ApiRequest.parseQuery(exchange.getRequestURI().getRawQuery()), headers, body);
    }

    private static RecordedRequest record(ApiRequest request, Instant at, int status, Endpoint endpoint,
                                          String tokenLabel) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        request.query().forEach((name, values) -> query.put(name,
                "hapikey".equals(name) ? values.stream().map(v -> "***").toList() : values));
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> {
            if (!"authorization".equals(name) && !values.isEmpty()) {
                headers.put(name, String.join(", ", values));
            }
        });
        return new RecordedRequest(at, request.method(), request.rawPath(), query, headers,
                new String(request.body(), StandardCharsets.UTF_8), status, endpoint.statsName(),
                tokenLabel == null ? "none" : tokenLabel);
    }

    private static void send(HttpExchange exchange, ApiResponse response) throws IOException {
        if (response.dropped()) {
            // Closing an exchange whose response headers were never sent closes the connection unanswered.
            return;
        }
        Headers headers = exchange.getResponseHeaders();
        response.headers().forEach(headers::set);
        if (response.contentType() != null) {
            headers.set("Content-Type", response.contentType());
        }
        byte[] body = response.body();
        if (body.length == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
