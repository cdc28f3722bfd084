package dev.sluice.webhook;

import dev.sluice.host.embed.StoredDeadLetter;
import dev.sluice.testkit.PluginJarAssertions;
import dev.sluice.testkit.SluiceTestHost;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged plugin JAR in the real host: events posted to the Events API arrive at the endpoint. */
class WebhookInHostIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private final MockWebServer endpoint = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        endpoint.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void anEventPostedToSluiceArrivesSignedAtTheEndpoint() throws Exception {
        endpoint.enqueue(new MockResponse.Builder().code(200).build());
        try (SluiceTestHost host = SluiceTestHost.builder()
                .pluginJar(PluginJarAssertions.builtJar())
                .destination("hook", "webhook", Map.of("url", endpoint.url("/in").toString(),
                        "signing_secret", TestConfigs.SIGNING_SECRET))
                .start()) {
            assertThat(host.send(Map.of("event_type", "signup", "user", Map.of("email", "ada@example.com"))))
                    .isEqualTo(200);
            RecordedRequest request = endpoint.takeRequest(10, TimeUnit.SECONDS);
            assertThat(request).as("a request within 10 s").isNotNull();
            String body = request.getBody().utf8();
            assertThat(body).contains("\"event_type\":\"signup\"").contains("ada@example.com");
            assertThat(request.getHeaders().get("X-Sluice-Signature")).startsWith("sha256=");
            host.awaitDelivered("hook", 1, WAIT);
        }
    }

    @Test
    void aRefusedEventIsDeadLetteredWithTheStatusAndAnOutageIsRetried() throws Exception {
        endpoint.enqueue(new MockResponse.Builder().code(503).build());
        endpoint.enqueue(new MockResponse.Builder().code(200).build());
        endpoint.enqueue(new MockResponse.Builder().code(422).body("{\"error\":\"unknown event\"}").build());
        try (SluiceTestHost host = SluiceTestHost.builder()
                .pluginJar(PluginJarAssertions.builtJar())
                .destination("hook", "webhook", Map.of("url", endpoint.url("/in").toString()))
                .start()) {
            assertThat(host.send(Map.of("event_type", "first"))).isEqualTo(200);
            host.awaitDelivered("hook", 1, WAIT);
            assertThat(host.status("hook").retried()).isGreaterThanOrEqualTo(1);
            assertThat(host.send(Map.of("event_type", "second"))).isEqualTo(200);
            List<StoredDeadLetter> dead = host.awaitDeadLetters("hook", 1, WAIT);
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.reason()).startsWith("HTTP 422 from http://").contains(":" + endpoint.getPort() + "/in: ")
                        .contains("unknown event");
                assertThat(d.eventJson()).contains("\"event_type\":\"second\"");
            });
        }
    }
}
