package dev.sluice.host.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.queue.DeadLetter;
import dev.sluice.host.queue.DeadLetters;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueLimit;
import dev.sluice.host.queue.QueuedEvent;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.RouteCounts;
import dev.sluice.host.routing.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transforms at ingest, against the real queue: what a transform makes is what the destination's
 * queue holds; a transform that throws or loops makes that event a dead letter of that
 * destination only, while the client gets 200 and the other destinations get the event.
 */
class TransformIngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String S2S = "/api/v1/s2s/event?token=" + IngestTestServer.SERVER_SECRET;

    @TempDir
    Path dataDir;

    private DurableQueue queue;
    private Router router;
    private IngestServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private void start(DestinationRoute... routes) throws Exception {
        Map<String, QueueLimit> limits = new java.util.LinkedHashMap<>();
        for (DestinationRoute r : routes) {
            limits.put(r.id(), new QueueLimit(1000, 1 << 24));
        }
        queue = DurableQueue.open(QueueDatabase.open(dataDir), limits, Clock.systemUTC());
        router = Router.create(List.of(routes));
        AtomicInteger ids = new AtomicInteger();
        EventEnricher enricher = new EventEnricher(Clock.systemUTC(), () -> "id-" + ids.incrementAndGet());
        server = new IngestServer(new ServerConfig("127.0.0.1", 0, 51_200, 1 << 20),
                new ApiKeyTokens(IngestTestServer.defaultKeys()), new EventIngestor(51_200, enricher, router, queue));
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
        if (router != null) {
            router.close();
        }
        if (queue != null) {
            queue.close();
        }
    }

    private int post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + S2S))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @SuppressWarnings("unchecked")
    /** The destination's queued events, once every accepted one was moved from the queue log into queue.db. */
    private List<QueuedEvent> due(String destination) throws Exception {
        dev.sluice.host.testing.Await.until(() -> {
            try {
                return queue.destination(destination).due(100).size() >= queue.depth(destination).events();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "accepted events of " + destination + " in the queue database");
        return queue.destination(destination).due(100);
    }

    private List<Map<String, Object>> queued(String destination) throws Exception {
        List<Map<String, Object>> events = new java.util.ArrayList<>();
        for (QueuedEvent e : due(destination)) {
            events.add(JSON.readValue(e.json(), Map.class));
        }
        return events;
    }

    private List<String> queuedIds(String destination) throws Exception {
        return due(destination).stream().map(QueuedEvent::eventId).toList();
    }

    private List<DeadLetter> deadLetters(String destination) throws Exception {
        return new DeadLetters(queue.database(), Clock.systemUTC()).list(Optional.of(destination), 100);
    }

    private static DestinationRoute route(String id, String template, String transform) {
        return new DestinationRoute(id, List.of(), Optional.ofNullable(template), Optional.ofNullable(transform));
    }

    @Test
    void theQueueHoldsTheTransformedEventAfterEnrichmentAndTheTemplateSeesIt() throws Exception {
        start(route("hubspot", "$.user?.email", "return {...$, user: $.eventn_ctx?.user, seen_ip: $.source_ip}"),
                route("raw", null, null));
        assertThat(post("{\"event_type\":\"signup\",\"eventn_ctx\":{\"user\":{\"email\":\"a@b.c\"}}}")).isEqualTo(200);
        Map<String, Object> transformed = queued("hubspot").get(0);
        assertThat(transformed.get("user")).isEqualTo(((Map<?, ?>) transformed.get("eventn_ctx")).get("user"));
        assertThat(transformed)
                // Enrichment ran first: the transform saw the source ip.
                .containsKey("seen_ip").containsEntry("seen_ip", transformed.get("source_ip"));
        assertThat(queued("raw").get(0)).doesNotContainKey("user").doesNotContainKey("seen_ip");
        // Without the transform, the template would have skipped this event (no top-level user).
        assertThat(router.counts().get("hubspot")).isEqualTo(new RouteCounts(1, 0, 0, 0, 0));
    }

    @Test
    void aThrowingTransformDeadLettersOnlyItsEventAtItsDestination() throws Exception {
        start(route("strict", null, "if ($.event_type === 'bad') {\n  throw new Error('bad event');\n}\nreturn $"),
                route("other", null, null));
        assertThat(post("[{\"event_type\":\"bad\"},{\"event_type\":\"good\"}]")).isEqualTo(200);
        assertThat(queued("strict")).extracting(e -> e.get("event_type")).containsExactly("good");
        assertThat(queued("other")).extracting(e -> e.get("event_type")).containsExactly("bad", "good");
        List<DeadLetter> dead = deadLetters("strict");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).reason()).isEqualTo("data_layout.transform failed: Error: bad event (line 2)");
        assertThat(JSON.readTree(dead.get(0).json()).get("event_type").asText()).isEqualTo("bad");
        assertThat(dead.get(0).attempts()).isZero();
        assertThat(deadLetters("other")).isEmpty();
        assertThat(router.counts().get("strict")).isEqualTo(new RouteCounts(1, 0, 0, 0, 1));
    }

    @Test
    void whatATransformReturnsIsBoundedLikeWhatIsSent() throws Exception {
        start(route("many", null, "return Array.from({length: 101}, (x, i) => ({...$, n: i}))"),
                route("big", null, "return {...$, pad: 'x'.repeat(60000)}"),
                route("other", null, null));
        assertThat(post("{\"event_type\":\"signup\"}")).isEqualTo(200);
        assertThat(queued("many")).isEmpty();
        assertThat(deadLetters("many")).singleElement().satisfies(d -> assertThat(d.reason())
                .startsWith("data_layout.transform failed: RangeError: the transform returned 101 events for one "
                        + "event; at most 100"));
        assertThat(queued("big")).isEmpty();
        assertThat(deadLetters("big")).singleElement().satisfies(d -> {
            assertThat(d.reason()).matches("data_layout.transform failed: it returned an event of \\d+ bytes; "
                    + "server.max_event_size is 51200");
            assertThat(d.json().length).isLessThan(51_200);
        });
        assertThat(queued("other")).hasSize(1);
    }

    @Test
    void aTransformThatLoopsForeverIsStoppedAndDeadLettersOnlyItsEvent() throws Exception {
        start(route("loops", null, "while ($.event_type === 'spin') {}\nreturn $"), route("other", null, null));
        assertThat(post("[{\"event_type\":\"spin\"},{\"event_type\":\"fine\"}]")).isEqualTo(200);
        assertThat(queued("loops")).extracting(e -> e.get("event_type")).containsExactly("fine");
        assertThat(deadLetters("loops")).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("time limit"));
        assertThat(queued("other")).hasSize(2);
    }

    @Test
    void touchingJavaFailsTheEventNotTheHost() throws Exception {
        start(route("sneaky", null, "Java.type('java.lang.System').exit(1); return $"),
                route("other", null, null));
        assertThat(post("{\"event_type\":\"x\"}")).isEqualTo(200);
        assertThat(deadLetters("sneaky")).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("ReferenceError").contains("Java"));
        assertThat(queued("other")).hasSize(1);
    }

    @Test
    void skippedSplitAndNamedEventsAreRoutedAsJitsuDid() throws Exception {
        start(route("split", "$.user?.email",
                "if ($.event_type === 'internal') return null;\n"
                        + "return [{...$, user: {email: 'a@b.c'}}, {...$, event_type: 'second', JITSU_TABLE_NAME: 'x'},"
                        + " {...$, JITSU_TABLE_NAME: ''}]"));
        assertThat(post("[{\"event_type\":\"internal\"},{\"event_type\":\"signup\"}]")).isEqualTo(200);
        // The first has a user for the template; the second's JITSU_TABLE_NAME wins over the
        // template; the third's empty JITSU_TABLE_NAME skips it.
        assertThat(queued("split")).extracting(e -> e.get("event_type")).containsExactly("signup", "second");
        assertThat(queued("split").get(1)).doesNotContainKey("JITSU_TABLE_NAME");
        assertThat(queuedIds("split")).containsExactly("id-2", "id-2-1");
        RouteCounts counts = router.counts().get("split");
        assertThat(counts.transformSkipped()).isEqualTo(1);
        assertThat(counts.routed()).isEqualTo(2);
    }
}
