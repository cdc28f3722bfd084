package dev.sluice.host.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.host.embed.EmbeddedHost;
import dev.sluice.host.embed.StoredDeadLetter;
import dev.sluice.host.testing.Await;
import dev.sluice.host.testing.TestFactories;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running host with the SQLite queue: the Events API answers without running a destination's
 * transform, and its delivery worker sends what the transform makes of the stored event; the
 * other destination of the same event gets it untouched; a failing transform dead-letters the
 * event as it was accepted, at that destination only.
 */
class TransformAtDeliveryHostTest {

    private static final String SECRET = "s2s-secret-transform";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final Map<String, List<Event>> received = new java.util.concurrent.ConcurrentHashMap<>();

    private final DestinationFactory recorder = TestFactories.stream("recorder", context -> {
        List<Event> mine = received.computeIfAbsent(context.destinationId(),
                k -> Collections.synchronizedList(new ArrayList<>()));
        return events -> {
            mine.addAll(events);
            return Collections.nCopies(events.size(), Outcome.delivered());
        };
    });

    private static void post(EmbeddedHost host, String body) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(host.baseUri() + "api/v1/s2s/event"))
                .timeout(Duration.ofSeconds(5)).header("X-Auth-Token", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void theWorkerSendsWhatTheTransformMadeAndTheOtherDestinationTheEventAsSent() throws Exception {
        Path config = Files.writeString(dir.resolve("sluice.yaml"), """
                server:
                  bind: 127.0.0.1
                  port: 0
                  data_dir: data
                api_keys:
                  - id: backend
                    server_secret: %s
                destinations:
                  shaped:
                    type: recorder
                    mode: stream
                    delivery:
                      linger: 0s
                    data_layout:
                      transform: |
                        if ($.event_type === 'boom') throw new Error('cannot shape ' + $.event_type);
                        return {...$, user: {...$.eventn_ctx?.user, ...$.user}, shaped: true}
                  plain:
                    type: recorder
                    mode: stream
                    delivery:
                      linger: 0s
                """.formatted(SECRET));
        try (EmbeddedHost host = EmbeddedHost.builder(config).noPluginsDir().factory(recorder).start()) {
            post(host, "{\"event_type\":\"identify\",\"event_id\":\"e1\",\"user\":{\"email\":\"a@example.com\"},"
                    + "\"eventn_ctx\":{\"user\":{\"anonymous_id\":\"anon-1\"}}}");
            post(host, "{\"event_type\":\"boom\",\"event_id\":\"e2\"}");
            Await.until(() -> host.destination("shaped").delivered() == 1 && host.destination("shaped").deadLettered() == 1
                    && host.destination("plain").delivered() == 2, "both destinations done");

            Event shaped = received.get("shaped").get(0);
            assertThat(shaped.id()).isEqualTo("e1");
            assertThat(shaped.fields()).containsEntry("shaped", true);
            @SuppressWarnings("unchecked")
            Map<String, Object> user = (Map<String, Object>) shaped.fields().get("user");
            assertThat(user).containsEntry("email", "a@example.com").containsEntry("anonymous_id", "anon-1");
            assertThat(received.get("plain")).extracting(Event::id).containsExactly("e1", "e2");
            assertThat(received.get("plain")).allSatisfy(e -> assertThat(e.fields()).doesNotContainKey("shaped"));

            List<StoredDeadLetter> dead = host.deadLetters("shaped", 10);
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.eventId()).isEqualTo("e2");
                assertThat(d.reason()).contains("data_layout.transform failed").contains("cannot shape boom")
                        .contains("line 1");
                assertThat(d.eventJson()).contains("\"event_type\":\"boom\"").doesNotContain("shaped");
            });
            assertThat(host.deadLetters("plain", 10)).isEmpty();
        }
    }
}
