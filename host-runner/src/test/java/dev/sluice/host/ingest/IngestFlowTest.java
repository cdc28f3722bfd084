package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.IngestTestServer.CLIENT_SECRET;
import static dev.sluice.host.ingest.IngestTestServer.OTHER_SERVER_SECRET;
import static dev.sluice.host.ingest.IngestTestServer.SERVER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.RouteCounts;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestFlowTest {

    private static final String S2S = "/api/v1/s2s/event?token=" + SERVER_SECRET;
    private static final String CLIENT = "/api/v1/event?token=" + CLIENT_SECRET;

    private IngestTestServer server;

    private void start(DestinationRoute... routes) throws Exception {
        server = new IngestTestServer(IngestTestServer.defaultKeys(), List.of(routes), 51_200, 1 << 20);
    }

    private static DestinationRoute route(String id, List<String> onlyTokens, String template) {
        return new DestinationRoute(id, onlyTokens, Optional.ofNullable(template));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> user(Map<String, Object> event) {
        return (Map<String, Object>) event.get("user");
    }

    @Test
    void s2sEventIsEnrichedFromTheRequest() throws Exception {
        start(route("all", List.of(), null));
        server.post(S2S, "{\"event_type\":\"signup\",\"event_id\":\"e-1\"}", "User-Agent", "backend/1.0",
                "X-Forwarded-For", "198.51.100.9, 10.0.0.1");
        Map<String, Object> event = server.storedEvents().get(0);
        assertThat(event).containsEntry("source_ip", "198.51.100.9")
                .containsEntry("src", "api")
                .containsEntry("eventn_ctx_event_id", "e-1")
                .containsEntry("api_key", "web")
                .containsEntry("_timestamp", "2026-01-02T03:04:05.006Z")
                .doesNotContainKey("event_id");
        // The key's id, not the secret the request used: no secret is stored with an event.
        assertThat(event.toString()).doesNotContain(SERVER_SECRET);
        assertThat(user(event)).containsEntry("hashed_anonymous_id", EventEnricher.md5Hex("198.51.100.9backend/1.0"));
        assertThat(server.sink.all().get(0).eventId()).isEqualTo("e-1");
    }

    @Test
    void clientEventGetsThePeerAddressAndTheRequestsUserAgent() throws Exception {
        start(route("all", List.of(), null));
        server.post(CLIENT, "{\"event_type\":\"pageview\",\"user_agent\":\"stale\",\"src\":\"jitsu\"}",
                "User-Agent", "Mozilla/5.0 test");
        Map<String, Object> event = server.storedEvents().get(0);
        assertThat(event).containsEntry("source_ip", "127.0.0.1").containsEntry("user_agent", "Mozilla/5.0 test")
                .containsEntry("src", "jitsu").containsEntry("eventn_ctx_event_id", "id-1");
        assertThat(server.sink.all().get(0).eventId()).isEqualTo("id-1");
    }

    @Test
    void eachDestinationGetsTheSameSerializedBytesOnce() throws Exception {
        start(route("a", List.of(), null), route("b", List.of(), "events"));
        server.post(S2S, "[{\"n\":1},{\"n\":2}]");
        List<RoutedEvent> stored = server.sink.calls.get(0);
        assertThat(stored).extracting(RoutedEvent::destinationId).containsExactly("a", "b", "a", "b");
        assertThat(stored.get(0).json()).isSameAs(stored.get(1).json());
        assertThat(stored.get(2).json()).isSameAs(stored.get(3).json());
        assertThat(stored.get(0).eventId()).isEqualTo(stored.get(1).eventId()).isNotEqualTo(stored.get(2).eventId());
    }

    @Test
    void onlyTokensAndEachTemplateFormDecideTheDestinations() throws Exception {
        start(route("backend_only", List.of("backend"), null),
                route("hubspot", List.of(), "$.user?.email"),
                route("no_pageviews", List.of(), "$.event_type == \"pageview\" ? \"\" : $.event_type"),
                route("go", List.of(), "{{.user.email}}"),
                route("constant", List.of("web"), "events"));
        server.post(S2S, "{\"event_type\":\"pageview\"}");
        assertThat(server.sink.all()).extracting(RoutedEvent::destinationId).containsExactly("constant");

        server.sink.calls.clear();
        server.post("/api/v1/s2s/event?token=" + OTHER_SERVER_SECRET,
                "{\"event_type\":\"user_identify\",\"user\":{\"email\":\"a@b.c\"}}");
        assertThat(server.sink.all()).extracting(RoutedEvent::destinationId)
                .containsExactly("backend_only", "hubspot", "no_pageviews", "go");
        assertThat(server.router.counts().get("hubspot")).isEqualTo(new RouteCounts(1, 1, 0));
    }

    @Test
    void aFailingTemplateFailsOnlyItsDestinationAndTheAnswerIsStillOk() throws Exception {
        start(route("broken", List.of(), "$.user.email.toLowerCase()"), route("fine", List.of(), null));
        var answer = server.post(S2S, "{\"event_type\":\"pageview\"}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(server.sink.all()).extracting(RoutedEvent::destinationId).containsExactly("fine");
        assertThat(server.router.counts().get("broken")).isEqualTo(new RouteCounts(0, 0, 1));
    }

    @Test
    void queueFullIs503WithTheQueuesMessage() throws Exception {
        start(route("all", List.of(), null));
        server.sink.behaviour = events -> {
            throw new QueueFullException("all", "The queue of destination all is full (1000000 events); try again later");
        };
        var answer = server.post(S2S, "{}");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.message()).isEqualTo("The queue of destination all is full (1000000 events); try again later");
        assertThat(server.router.counts().get("all").routed()).isZero();
    }

    @Test
    void sinkUnavailableIs503() throws Exception {
        start(route("all", List.of(), null));
        server.sink.behaviour = events -> {
            throw new SinkUnavailableException("the queue store is closed", null);
        };
        var answer = server.post(S2S, "{}");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.message()).isEqualTo("Events cannot be stored right now, try again later: the queue store is closed");
    }

    @Test
    void anUnexpectedFailureIs500WithAMessage() throws Exception {
        start(route("all", List.of(), null));
        server.sink.behaviour = events -> {
            throw new IllegalStateException("disk on fire");
        };
        var answer = server.post(S2S, "{}");
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.message()).isEqualTo("Internal error while accepting the events; they were not stored: "
                + "IllegalStateException");
    }

    @Test
    void theSinkIsCalledOnAWorkerThreadNotAnIoThread() throws Exception {
        start(route("all", List.of(), null));
        String[] thread = new String[1];
        server.sink.behaviour = events -> thread[0] = Thread.currentThread().getName();
        server.post(S2S, "{}");
        assertThat(thread[0]).isNotNull().doesNotContain("I/O");
    }

    @Test
    void stopLetsAnInFlightRequestFinishAndThenRefusesConnections() throws Exception {
        start(route("all", List.of(), null));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.sink.behaviour = events -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<IngestTestServer.Answer> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return server.post(S2S, "{\"n\":1}");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        int port = server.server.port();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.server.stop(Duration.ofSeconds(10)));
        release.countDown();
        stopping.get(15, TimeUnit.SECONDS);
        assertThat(inFlight.get(15, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(server.sink.all()).hasSize(1);
        try (var socket = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000))
                    .isInstanceOf(IOException.class);
        }
    }
}
