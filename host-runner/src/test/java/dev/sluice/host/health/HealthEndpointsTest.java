package dev.sluice.host.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.config.ApiKey;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.delivery.DeliveryStats;
import dev.sluice.host.delivery.WorkerState;
import dev.sluice.host.ingest.IngestServer;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /health} and {@code GET /api/v1/stats} on the Events API port, over loopback. */
class HealthEndpointsTest {

    static final String CLIENT_SECRET = "js-secret-hlth";
    static final String SERVER_SECRET = "s2s-secret-hlth";
    static final String STATS_TOKEN = "stats-token-hlth";
    static final Instant STARTED = Instant.parse("2026-11-28T07:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROUTED_TO_BOTH = "{\"user\":{\"email\":\"ada@example.com\"},\"context\":{\"page\":\"home\"}}";

    final AtomicReference<List<DeliveryStats>> deliveries = new AtomicReference<>(List.of());
    final Map<String, String> startFailures = new ConcurrentHashMap<>();
    final List<RoutedEvent> stored = new CopyOnWriteArrayList<>();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Router router;
    HostStatus status;
    IngestServer server;

    @BeforeEach
    void start() throws Exception {
        start(List.of(new ApiKey("web", Optional.of(CLIENT_SECRET), Optional.of(SERVER_SECRET), List.of())),
                Optional.of(STATS_TOKEN));
    }

    void start(List<ApiKey> keys, Optional<String> statsToken) throws Exception {
        router = Router.create(List.of(
                new DestinationRoute("hs", List.of(), Optional.of("$.user?.email")),
                new DestinationRoute("crm", List.of(), Optional.of("$.context.page"))));
        status = new HostStatus(STARTED, deliveries::get, router::counts, startFailures);
        ServerConfig config = new ServerConfig("127.0.0.1", 0, 51_200, 1 << 20);
        server = IngestServer.create(config, keys, router, stored::addAll,
                HealthRoutes.of(status, new StatsAccess(keys, statsToken)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(5));
    }

    HttpResponse<String> send(String method, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        return send("GET", pathAndQuery, headers);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return JSON.readValue(response.body(), Map.class);
    }

    static DeliveryStats stats(String id, WorkerState state) {
        return new DeliveryStats(id, state, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void healthIsOkWithoutATokenWhileEveryWorkerRunsOrStarts() throws Exception {
        deliveries.set(List.of(stats("hs", WorkerState.RUNNING), stats("crm", WorkerState.STARTING)));

        for (String path : List.of("/health", "/health/")) {
            HttpResponse<String> answer = get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
        }
        HttpResponse<String> head = send("HEAD", "/health");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void healthIsOkWithNoDestinations() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void healthIs503WhenADestinationsDeliveryFailedForGoodNamingNoDestination() throws Exception {
        deliveries.set(List.of(stats("hs", WorkerState.RUNNING), stats("crm", WorkerState.FAILED)));
        startFailures.put("crm", "the access token was revoked; create a new one");

        HttpResponse<String> answer = get("/health");

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(json(answer)).containsEntry("status", "unavailable").containsEntry("reason",
                "delivery has stopped for 1 of 2 destinations; "
                        + "see /api/v1/stats or the host log");
        assertThat(answer.body()).doesNotContain("crm").doesNotContain("revoked");
    }

    @Test
    void healthIs503WhileTheHostStops() throws Exception {
        deliveries.set(List.of(stats("hs", WorkerState.RUNNING)));
        status.markStopping();

        HttpResponse<String> answer = get("/health");

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(json(answer)).containsEntry("status", "unavailable").containsEntry("reason", "the host is stopping");
    }

    @Test
    void healthAndStatsAnswerOnlyGetAndHead() throws Exception {
        for (String path : List.of("/health", "/api/v1/stats?token=" + STATS_TOKEN)) {
            HttpResponse<String> post = send("POST", path);
            assertThat(post.statusCode()).as(path).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
            assertThat(json(post).get("message")).asString().startsWith("Method POST is not allowed on /");
        }
    }

    @Test
    void statsRefusesRequestsWithoutAToken() throws Exception {
        HttpResponse<String> answer = get("/api/v1/stats");

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(json(answer)).containsEntry("error", "").containsEntry("message", "The token is not found: the "
                + "request has no token. GET /api/v1/stats takes a server secret (api_keys[].server_secret) or "
                + "server.stats_token in the 'token' query parameter, the X-Auth-Token or api_key header, a p_* "
                + "query parameter or as the basic-auth user name");
        assertThat(answer.body()).doesNotContain("hs").doesNotContain("crm");
    }

    @Test
    void statsRefusesAClientSecretAndAnUnknownTokenWithoutEchoingIt() throws Exception {
        for (String token : List.of(CLIENT_SECRET, "guessed-token")) {
            HttpResponse<String> answer = get("/api/v1/stats?token=" + token);
            assertThat(answer.statusCode()).as(token).isEqualTo(401);
            assertThat(json(answer)).containsEntry("message", "The token is not accepted. GET /api/v1/stats takes "
                    + "a server secret (api_keys[].server_secret) or server.stats_token");
            assertThat(answer.body()).doesNotContain(token);
        }
    }

    @Test
    void statsAcceptsAServerSecretOrTheStatsTokenByTheEventsApiTokenRules() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((SERVER_SECRET + ":x").getBytes(StandardCharsets.UTF_8));
        List<HttpResponse<String>> answers = List.of(
                get("/api/v1/stats?token=" + SERVER_SECRET),
                get("/api/v1/stats/", "X-Auth-Token", STATS_TOKEN),
                get("/api/v1/stats", "api_key", SERVER_SECRET),
                get("/api/v1/stats?p_key=" + STATS_TOKEN),
                get("/api/v1/stats", "Authorization", basic));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as(answer.uri().toString()).isEqualTo(200);
            assertThat(json(answer)).containsKey("destinations");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void statsShowPerDestinationStateQueueDeliveryAndRoutingCounters() throws Exception {
        // Routed for real through the s2s route: hs keeps the event with an email and skips the
        // other; crm's template ($.context.page) fails on the event without a context.
        assertThat(send("POST", "/api/v1/s2s/event?token=" + SERVER_SECRET).statusCode()).isEqualTo(400);
        postEvent(ROUTED_TO_BOTH);
        postEvent("{\"event_type\":\"pageview\"}");
        deliveries.set(List.of(
                new DeliveryStats("hs", WorkerState.RUNNING, 7, 1, 3, 2, 4, 1234,
                        new DeliveryStats.ReasonClasses(1, 0, 2, 0, 0, 0)),
                new DeliveryStats("crm", WorkerState.FAILED, 0, 0, 0, 0, 1, 99)));
        startFailures.put("crm", "the access token was revoked; create a new one");

        HttpResponse<String> answer = get("/api/v1/stats?token=" + STATS_TOKEN);

        assertThat(answer.statusCode()).isEqualTo(200);
        Map<String, Object> stats = json(answer);
        assertThat(stats).containsEntry("status", "unavailable").containsEntry("started_at", "2026-11-28T07:00:00Z");
        Map<String, Object> destinations = (Map<String, Object>) stats.get("destinations");
        assertThat(destinations.keySet()).containsExactly("hs", "crm");
        assertThat(destinations.get("hs")).isEqualTo(Map.of(
                "state", "running",
                "queue", Map.of("events", 4, "bytes", 1234),
                "delivery", Map.of("delivered", 7, "skipped", 1, "retried", 3, "dead_lettered", 2,
                        "retried_by_reason", Map.of("transient", 2, "asked_to_wait", 1, "plugin_error", 0),
                        "dead_lettered_by_reason", Map.of("rejected", 2, "gave_up", 0, "unreadable", 0, "transform_failed", 0)),
                "routing", Map.of("routed", 1, "skipped", 1, "failed", 0, "transform_skipped", 0,
                        "transform_dead_lettered", 0)));
        assertThat(destinations.get("crm")).isEqualTo(Map.of(
                "state", "failed",
                "start_failure", "the access token was revoked; create a new one",
                "queue", Map.of("events", 1, "bytes", 99),
                "delivery", Map.of("delivered", 0, "skipped", 0, "retried", 0, "dead_lettered", 0,
                        "retried_by_reason", Map.of("transient", 0, "asked_to_wait", 0, "plugin_error", 0),
                        "dead_lettered_by_reason", Map.of("rejected", 0, "gave_up", 0, "unreadable", 0, "transform_failed", 0)),
                "routing", Map.of("routed", 1, "skipped", 0, "failed", 1, "transform_skipped", 0,
                        "transform_dead_lettered", 0)));
        assertThat(stored).hasSize(2);
    }

    @Test
    void neitherAnswerHoldsASecret() throws Exception {
        deliveries.set(List.of(stats("hs", WorkerState.RUNNING), stats("crm", WorkerState.FAILED)));
        postEvent("{\"user\":{\"email\":\"ada@example.com\"}}");
        String bodies = get("/health").body() + get("/api/v1/stats?token=" + SERVER_SECRET).body()
                + get("/api/v1/stats", "X-Auth-Token", STATS_TOKEN).body();
        assertThat(bodies).contains("\"hs\"").doesNotContain(CLIENT_SECRET).doesNotContain(SERVER_SECRET)
                .doesNotContain(STATS_TOKEN);
    }

    @Test
    void withoutServerSecretsOrStatsTokenTheStatsSayNothingCanReadThem() throws Exception {
        server.stop(Duration.ofSeconds(5));
        start(List.of(new ApiKey("web", Optional.of(CLIENT_SECRET), Optional.empty(), List.of())), Optional.empty());

        HttpResponse<String> answer = get("/api/v1/stats?token=" + CLIENT_SECRET);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(json(answer).get("message")).asString().endsWith("; neither is configured on this host");
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void theEventsApiStillAnswersBesideTheNewRoutes() throws Exception {
        postEvent(ROUTED_TO_BOTH);
        HttpResponse<String> unknown = get("/healthz");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(stored).extracting(RoutedEvent::destinationId).containsExactly("hs", "crm");
    }

    private void postEvent(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/s2s/event?token=" + SERVER_SECRET)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
}
