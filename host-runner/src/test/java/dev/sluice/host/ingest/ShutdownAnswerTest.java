package dev.sluice.host.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.config.ApiKey;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.pipeline.EventSink;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.Router;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A request that arrives while the server stops gets the documented JSON 503, not an empty body. */
class ShutdownAnswerTest {

    private static final String SECRET = "s2s-secret-shutdown";

    @Test
    void aRequestDuringTheGracefulStopGetsAJson503() throws Exception {
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        EventSink blocking = events -> {
            if (calls.incrementAndGet() > 1) {
                return;   // only the first request is held; later ones (before the stop began) pass
            }
            inSink.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        IngestServer server = IngestServer.create(new ServerConfig("127.0.0.1", 0, 51_200, 1 << 20),
                List.of(new ApiKey("backend", Optional.empty(), Optional.of(SECRET), List.of())),
                Router.create(List.of(new DestinationRoute("all", List.of(), Optional.empty()))), blocking);
        server.start();
        HttpClient http = HttpClient.newHttpClient();
        URI events = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/s2s/event");
        HttpRequest post = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(10)).header("X-Auth-Token", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"x\"}")).build();
        try {
            // One request in flight holds the graceful stop open...
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(post, HttpResponse.BodyHandlers.ofString());
            assertThat(inSink.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(10)));

            // ...and a new one is refused, with the API's JSON body.
            HttpResponse<String> refused = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                refused = http.send(post, HttpResponse.BodyHandlers.ofString());
                if (refused.statusCode() == 503) {
                    break;
                }
            }
            assertThat(refused).isNotNull();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(new ObjectMapper().readValue(refused.body(), Map.class))
                    .containsEntry("message", IngestServer.STOPPING).containsEntry("error", "");

            release.countDown();
            assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            stopping.get(15, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            server.stop(Duration.ofSeconds(1));
        }
    }
}
