package dev.sluice.host.runtime;

import dev.sluice.host.testing.Await;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.Destination;
import dev.sluice.api.DestinationException;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.host.config.ApiKey;
import dev.sluice.host.config.DeliverySettings;
import dev.sluice.host.config.DestinationSpec;
import dev.sluice.host.config.Durability;
import dev.sluice.host.config.HostConfig;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.config.ValidatedDestination;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.plugins.LoadedPlugin;
import dev.sluice.host.plugins.PluginRegistry;
import dev.sluice.host.plugins.RegisteredType;
import dev.sluice.host.testing.TestFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A running host serves /health and /api/v1/stats from its real workers, router and fatal start failures. */
class HostHealthWiringTest {

    private static final String SERVER_SECRET = "s2s-wiring-secret";
    private static final String STATS_TOKEN = "stats-wiring-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Type "ok" delivers everything; type "broken" fails start() for good. */
    private static DestinationFactory testFactory(String type) {
        return TestFactories.stream(type, context -> new Destination() {
            @Override
            public void start() throws DestinationException {
                if (type.equals("broken")) {
                    throw new DestinationException("the access token was revoked; create a new one", false);
                }
            }

            @Override
            public List<Outcome> deliver(List<Event> batch) {
                return Collections.nCopies(batch.size(), Outcome.delivered());
            }
        });
    }

    private ValidatedDestination destination(String id, String type) throws Exception {
        LoadedPlugin plugin = new LoadedPlugin("test", "1.0", dir.resolve("test.jar"), List.of(type),
                getClass().getClassLoader());
        DestinationSpec spec = new DestinationSpec(id, type, "stream", List.of(), Map.of(), Optional.empty(),
                DeliverySettings.defaults());
        return new ValidatedDestination(spec, new RegisteredType(type, testFactory(type), plugin),
                DestinationConfig.validate(List.of(), Map.of()), Optional.empty());
    }

    private HttpResponse<String> get(HostRuntime runtime, String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthTurns503AndStatsNameTheFailureWhenADestinationCannotStart() throws Exception {
        HostConfig config = new HostConfig(dir.resolve("sluice.yaml"),
                new ServerConfig("127.0.0.1", 0, 51_200, 1 << 20, Durability.NORMAL, Optional.of(STATS_TOKEN)),
                List.of(new ApiKey("backend", Optional.empty(), Optional.of(SERVER_SECRET), List.of())), List.of(),
                dir.resolve("plugins"), dir.resolve("data"));
        ValidatedHost host = new ValidatedHost(config, PluginRegistry.builder().build(),
                List.of(destination("good", "ok"), destination("bad", "broken")), List.of());
        CountDownLatch fatal = new CountDownLatch(1);

        try (HostRuntime runtime = HostRuntime.start(host, Clock.systemUTC(), (id, message) -> fatal.countDown())) {
            assertThat(fatal.await(10, TimeUnit.SECONDS)).as("the broken destination reported its failure").isTrue();
            HttpResponse<String> health = get(runtime, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("delivery has stopped for 1 of 2 destinations").doesNotContain("bad");

            HttpResponse<String> posted = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + runtime.port() + "/api/v1/s2s/event?token=" + SERVER_SECRET))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(200);
            Await.until(() -> runtime.workers().worker("good").orElseThrow().stats().delivered() == 1,
                    "the good destination delivered the event");

            Map<String, Object> stats = JSON.readValue(get(runtime, "/api/v1/stats?token=" + STATS_TOKEN).body(),
                    Map.class);
            Map<String, Object> destinations = (Map<String, Object>) stats.get("destinations");
            Map<String, Object> good = (Map<String, Object>) destinations.get("good");
            Map<String, Object> bad = (Map<String, Object>) destinations.get("bad");
            assertThat(good).containsEntry("state", "running").doesNotContainKey("start_failure");
            assertThat((Map<String, Object>) good.get("delivery")).containsEntry("delivered", 1);
            assertThat((Map<String, Object>) good.get("routing")).containsEntry("routed", 1);
            assertThat(bad).containsEntry("state", "failed")
                    .containsEntry("start_failure", "the access token was revoked; create a new one");
            assertThat((Map<String, Object>) bad.get("queue")).containsEntry("events", 1);
            assertThat(get(runtime, "/api/v1/stats?token=" + SERVER_SECRET).statusCode()).isEqualTo(200);

            runtime.stop(Duration.ofSeconds(5));
            assertThat(runtime.status().health().reasons()).containsExactly("the host is stopping");
        }
    }

    @Test
    void healthIsOkWhenEveryDestinationRuns() throws Exception {
        HostConfig config = new HostConfig(dir.resolve("sluice.yaml"), new ServerConfig("127.0.0.1", 0, 51_200, 1 << 20),
                List.of(), List.of(), dir.resolve("plugins"), dir.resolve("data"));
        ValidatedHost host = new ValidatedHost(config, PluginRegistry.builder().build(),
                List.of(destination("good", "ok")), List.of());
        try (HostRuntime runtime = HostRuntime.start(host, Clock.systemUTC(), (id, message) -> { })) {
            HttpResponse<String> health = get(runtime, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        }
    }
}
