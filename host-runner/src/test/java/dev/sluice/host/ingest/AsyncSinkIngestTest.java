package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.IngestTestServer.SERVER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.pipeline.AsyncEventSink;
import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ingest with a sink that stores without blocking: answers come once the sink's stage completes. */
class AsyncSinkIngestTest {

    /** Hands each enqueueAsync call to the test, which completes it from another thread. */
    private static final class ControlledSink implements AsyncEventSink {
        final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
        final List<String> blockingCallThreads = new CopyOnWriteArrayList<>();

        record Pending(List<RoutedEvent> events, CompletableFuture<Void> done, String thread) {
        }

        @Override
        public CompletionStage<Void> enqueueAsync(List<RoutedEvent> events) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            pending.add(new Pending(List.copyOf(events), done, Thread.currentThread().getName()));
            return done;
        }

        @Override
        public void enqueue(List<RoutedEvent> events) {
            blockingCallThreads.add(Thread.currentThread().getName());
        }

        Pending next() throws InterruptedException {
            Pending p = pending.poll(10, TimeUnit.SECONDS);
            assertThat(p).as("an enqueueAsync call").isNotNull();
            return p;
        }
    }

    private final ControlledSink sink = new ControlledSink();
    private final ExecutorService completer = Executors.newSingleThreadExecutor();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private IngestServer server;
    private Router router;

    @BeforeEach
    void start() throws Exception {
        router = Router.create(List.of(new DestinationRoute("all", List.of(), Optional.empty())));
        server = new IngestServer(new ServerConfig("127.0.0.1", 0, 200_000, 1 << 20),
                new ApiKeyTokens(IngestTestServer.defaultKeys()),
                new EventIngestor(200_000, EventEnricher.standard(), router, sink));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(5));
        completer.shutdownNow();
    }

    private CompletableFuture<HttpResponse<String>> post(String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/s2s/event?token=" + SERVER_SECRET))
                .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersOkOnlyAfterTheSinkCompletesAndParksNoWorkerThread() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = post("{\"event_type\":\"x\"}");
        ControlledSink.Pending call = sink.next();

        assertThat(call.thread()).contains("I/O");
        assertThat(call.events()).hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> answer.get(300, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);

        completer.execute(() -> call.done().complete(null));
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(router.counts().get("all").routed()).isEqualTo(1);
        assertThat(sink.blockingCallThreads).isEmpty();
    }

    @Test
    void queueFullCompletionIs503WithItsMessage() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = post("{}");
        ControlledSink.Pending call = sink.next();
        completer.execute(() -> call.done().completeExceptionally(new QueueFullException("all", "queue all is full")));
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"message\":\"queue all is full\",\"error\":\"\"}");
        assertThat(router.counts().get("all").routed()).isZero();
    }

    @Test
    void unavailableCompletionIs503AndAnythingElseIs500() throws Exception {
        CompletableFuture<HttpResponse<String>> first = post("{}");
        ControlledSink.Pending call = sink.next();
        completer.execute(() -> call.done().completeExceptionally(new SinkUnavailableException("closed", null)));
        assertThat(first.get(10, TimeUnit.SECONDS).body())
                .isEqualTo("{\"message\":\"Events cannot be stored right now, try again later: closed\",\"error\":\"\"}");

        CompletableFuture<HttpResponse<String>> second = post("{}");
        ControlledSink.Pending failing = sink.next();
        completer.execute(() -> failing.done().completeExceptionally(new IllegalStateException("disk on fire")));
        HttpResponse<String> response = second.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("IllegalStateException").doesNotContain("disk on fire");
    }

    @Test
    void manyConcurrentRequestsAreEachAnsweredOnceTheirCallCompletes() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(post("{\"n\":" + i + "}"));
        }
        for (int i = 0; i < 20; i++) {
            ControlledSink.Pending call = sink.next();
            completer.execute(() -> call.done().complete(null));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(router.counts().get("all").routed()).isEqualTo(20);
    }

    @Test
    void aBodyOverTheIoThreadLimitIsPreparedOnAWorkerWithTheBlockingCall() throws Exception {
        String big = "{\"pad\":\"" + "x".repeat(EventIngestor.MAX_IO_THREAD_BODY) + "\"}";
        HttpResponse<String> response = post(big).get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sink.blockingCallThreads).hasSize(1);
        assertThat(sink.blockingCallThreads.get(0)).doesNotContain("I/O");
        assertThat(sink.pending).isEmpty();
    }

    @Test
    void aRejectedBodyNeverReachesTheSink() throws IOException, Exception {
        HttpResponse<String> response = post("[1]").get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(sink.pending).isEmpty();
        assertThat(sink.blockingCallThreads).isEmpty();
    }
}
