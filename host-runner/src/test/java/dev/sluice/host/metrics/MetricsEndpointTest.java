package dev.sluice.host.metrics;

import dev.sluice.host.testing.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.DestinationMetrics;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.host.embed.EmbeddedHost;
import dev.sluice.host.testing.TestFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /metrics} on a running host: guarded, Prometheus text, values matching what happened. */
class MetricsEndpointTest {

    private static final String SECRET = "s2s-secret-metrics";
    private static final String STATS_TOKEN = "stats-token-metrics";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** Reports to the host's metrics like a real plugin would, and answers by event type. */
    private static final DestinationFactory REPORTER = TestFactories.stream("reporter", context -> {
        DestinationMetrics metrics = context.metrics();
        return events -> {
            List<Outcome> outcomes = new ArrayList<>();
            for (Event e : events) {
                String type = e.eventType().orElse("");
                if (type.equals("boom")) {
                    throw new IllegalStateException("plugin bug");
                }
                outcomes.add(switch (type) {
                    case "purchase" -> {
                        metrics.valueDropped("amount", "not a number");
                        metrics.callAnswered(400);
                        yield Outcome.rejected("HubSpot answered 400");
                    }
                    case "identify" -> {
                        metrics.rateLimitWait(Duration.ofMillis(1500));
                        metrics.callAnswered(429);
                        yield Outcome.retry("rate limited", Instant.now().plus(Duration.ofDays(1)));
                    }
                    default -> {
                        metrics.callAnswered(200);
                        metrics.callFailed();
                        yield Outcome.delivered();
                    }
                });
            }
            return outcomes;
        };
    });

    private static HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void post(EmbeddedHost host, String body) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(host.baseUri() + "api/v1/s2s/event"))
                .timeout(Duration.ofSeconds(5)).header("X-Auth-Token", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }


    @Test
    void metricsAreGuardedAndMatchWhatWasDeliveredRetriedAndDeadLettered() throws Exception {
        Path config = Files.writeString(dir.resolve("sluice.yaml"), """
                server:
                  bind: 127.0.0.1
                  port: 0
                  data_dir: data
                  stats_token: %s
                api_keys:
                  - id: backend
                    server_secret: %s
                destinations:
                  crm:
                    type: reporter
                    mode: stream
                    delivery:
                      linger: 0s
                      backoff_initial: 1h
                      backoff_max: 2h
                """.formatted(STATS_TOKEN, SECRET));
        try (EmbeddedHost host = EmbeddedHost.builder(config).noPluginsDir().factory(REPORTER).start()) {
            post(host, "{\"event_type\":\"pageview\"}");
            post(host, "{\"event_type\":\"purchase\"}");
            post(host, "{\"event_type\":\"identify\"}");
            Await.until(() -> host.destination("crm").delivered() == 1 && host.destination("crm").deadLettered() == 1
                    && host.destination("crm").retried() == 1, "1 delivered, 1 dead letter, 1 retry");
            post(host, "{\"event_type\":\"boom\"}");
            Await.until(() -> host.destination("crm").retried() == 2, "the plugin's exception retried");

            URI metrics = URI.create(host.baseUri() + "metrics");
            HttpResponse<String> noToken = get(metrics);
            assertThat(noToken.statusCode()).isEqualTo(401);
            assertThat(noToken.body()).contains("GET /metrics takes a server secret");
            assertThat(get(metrics, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(get(metrics, "X-Auth-Token", SECRET).statusCode()).isEqualTo(200);

            HttpResponse<String> scrape = get(metrics, "Authorization", "Bearer " + STATS_TOKEN);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            assertThat(scrape.body()).doesNotContain(SECRET).doesNotContain(STATS_TOKEN);
            PrometheusText m = PrometheusText.parse(scrape.body());

            assertThat(m.types).containsEntry("sluice_events_delivered_total", "counter")
                    .containsEntry("sluice_queue_events", "gauge");
            assertThat(m.value("sluice_events_routed_total", "destination", "crm", "result", "queued")).contains(4.0);
            assertThat(m.value("sluice_events_routed_total", "destination", "crm", "result", "template_skipped"))
                    .contains(0.0);
            assertThat(m.value("sluice_events_delivered_total", "destination", "crm")).contains(1.0);
            assertThat(m.value("sluice_events_skipped_total", "destination", "crm")).contains(0.0);
            assertThat(m.value("sluice_events_rejected_total", "destination", "crm")).contains(1.0);
            assertThat(m.value("sluice_events_dead_lettered_total", "destination", "crm", "reason_class", "rejected"))
                    .contains(1.0);
            assertThat(m.value("sluice_events_dead_lettered_total", "destination", "crm", "reason_class", "gave_up"))
                    .contains(0.0);
            assertThat(m.value("sluice_events_retried_total", "destination", "crm", "reason_class", "asked_to_wait"))
                    .contains(1.0);
            assertThat(m.value("sluice_events_retried_total", "destination", "crm", "reason_class", "plugin_error"))
                    .contains(1.0);
            assertThat(m.value("sluice_events_retried_total", "destination", "crm", "reason_class", "transient"))
                    .contains(0.0);
            assertThat(m.value("sluice_queue_events", "destination", "crm")).contains(2.0);
            assertThat(m.value("sluice_queue_bytes", "destination", "crm")).hasValueSatisfying(
                    v -> assertThat(v).isPositive());
            assertThat(m.value("sluice_queue_oldest_event_age_seconds", "destination", "crm")).hasValueSatisfying(
                    v -> assertThat(v).isBetween(0.0, 60.0));
            assertThat(m.value("sluice_dead_letters", "destination", "crm")).contains(1.0);
            assertThat(m.value("sluice_destination_state", "destination", "crm", "state", "running")).contains(1.0);
            assertThat(m.value("sluice_destination_state", "destination", "crm", "state", "failed")).contains(0.0);
            assertThat(m.value("sluice_destination_calls_total", "destination", "crm", "status_class", "2xx"))
                    .contains(1.0);
            assertThat(m.value("sluice_destination_calls_total", "destination", "crm", "status_class", "4xx"))
                    .contains(1.0);
            assertThat(m.value("sluice_destination_calls_total", "destination", "crm", "status_class", "429"))
                    .contains(1.0);
            assertThat(m.value("sluice_destination_calls_total", "destination", "crm", "status_class", "no_answer"))
                    .contains(1.0);
            assertThat(m.value("sluice_destination_rate_limit_wait_seconds_total", "destination", "crm"))
                    .contains(1.5);
            assertThat(m.value("sluice_destination_dropped_values_total", "destination", "crm", "field", "amount",
                    "reason", "not a number")).contains(1.0);
            assertThat(m.value("sluice_http_requests_total", "route", "s2s", "status", "200")).contains(4.0);
            assertThat(m.value("sluice_http_requests_total", "route", "metrics", "status", "401")).contains(2.0);
            assertThat(m.samples).anySatisfy(s -> assertThat(s.name()).startsWith("jvm_memory_used_bytes"));

            // docs/operations.md lists exactly the sluice_ metrics a host serves.
            String docs = Files.readString(Path.of("..", "docs", "operations.md"));
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| `(sluice_[a-z_]+)` \\|").matcher(docs);
            Set<String> documented = new java.util.TreeSet<>();
            while (row.find()) {
                documented.add(row.group(1));
            }
            Set<String> served = new java.util.TreeSet<>();
            m.types.keySet().stream().filter(n -> n.startsWith("sluice_")).forEach(served::add);
            assertThat(documented).isEqualTo(served);

            // The stats endpoint shows the same breakdown and what the plugin reported.
            JsonNode stats = new ObjectMapper().readTree(
                    get(URI.create(host.baseUri() + "api/v1/stats"), "X-Auth-Token", STATS_TOKEN).body());
            JsonNode crm = stats.get("destinations").get("crm");
            assertThat(crm.get("delivery").get("retried_by_reason").get("plugin_error").asLong()).isEqualTo(1);
            assertThat(crm.get("delivery").get("dead_lettered_by_reason").get("rejected").asLong()).isEqualTo(1);
            assertThat(crm.get("calls").get("429").asLong()).isEqualTo(1);
            assertThat(crm.get("rate_limit_wait_seconds").asDouble()).isEqualTo(1.5);
            assertThat(crm.get("dropped_values").get("amount").get("not a number").asLong()).isEqualTo(1);
        }
    }

    @Test
    void pluginMetricsGroupStatusesAndBoundTheDroppedSeries() {
        PluginMetrics p = new PluginMetrics("crm");
        p.callAnswered(204);
        p.callAnswered(301);
        p.callAnswered(404);
        p.callAnswered(429);
        p.callAnswered(503);
        p.callAnswered(99);
        assertThat(p.calls()).containsExactlyInAnyOrderEntriesOf(Map.of("2xx", 1L, "3xx", 1L, "4xx", 1L, "429", 1L,
                "5xx", 1L, "other", 1L));
        for (int i = 0; i < PluginMetrics.MAX_DROPPED_SERIES + 50; i++) {
            p.valueDropped("field" + i, "no such property");
        }
        assertThat(p.dropped()).hasSize(PluginMetrics.MAX_DROPPED_SERIES + 1);
        assertThat(p.dropped().get(new PluginMetrics.DroppedKey("(other)", "(other)"))).isEqualTo(50L);
        p.rateLimitWait(Duration.ofMillis(-5));
        assertThat(p.rateLimitWaited()).isZero();
    }
}
