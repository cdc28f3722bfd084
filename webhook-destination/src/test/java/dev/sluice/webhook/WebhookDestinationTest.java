package dev.sluice.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationMetrics;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.sluice.webhook.TestConfigs.ALL_SECRETS;
import static dev.sluice.webhook.TestConfigs.BEARER_SECRET;
import static dev.sluice.webhook.TestConfigs.HEADER_SECRET;
import static dev.sluice.webhook.TestConfigs.NOW;
import static dev.sluice.webhook.TestConfigs.QUERY_SECRET;
import static dev.sluice.webhook.TestConfigs.SIGNING_SECRET;
import static dev.sluice.webhook.TestConfigs.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookDestinationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final List<WebhookDestination> opened = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        opened.forEach(WebhookDestination::close);
        server.close();
    }

    /** The server's URL by loopback address (server.url() names it localhost). */
    private String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getPort() + pathAndQuery;
    }

    private static JsonNode tree(Event event) throws IOException {
        return JSON.readTree(JSON.writeValueAsBytes(event.fields()));
    }

    private WebhookDestination destination(Object... extra) {
        Map<String, Object> raw = raw("url", url("/hooks/sluice"));
        raw.putAll(raw(extra));
        WebhookDestination destination = TestConfigs.create(raw);
        opened.add(destination);
        return destination;
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("request reached the server").isNotNull();
        return request;
    }

    private static String body(RecordedRequest request) {
        return request.getBody() == null ? "" : request.getBody().utf8();
    }

    private static Event event(int n) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event_type", "pageview");
        fields.put("eventn_ctx_event_id", "id-" + n);
        fields.put("n", n);
        fields.put("user", Map.of("email", "user" + n + "@example.com"));
        fields.put("tags", List.of("a", 1.5, true));
        fields.put("nothing", null);
        return Event.of("id-" + n, fields);
    }

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(event(i));
        }
        return events;
    }

    private void answer(int code) {
        server.enqueue(new MockResponse.Builder().code(code).build());
    }

    private static void assertNoSecrets(Object text) {
        for (String secret : ALL_SECRETS) {
            assertThat(String.valueOf(text)).doesNotContain(secret);
        }
    }

    @Test
    void sendsOneEventAsAJsonObjectWithHeaders() throws Exception {
        answer(200);
        WebhookDestination destination = destination("bearer_token", BEARER_SECRET,
                "headers", raw("X-Api-Key", HEADER_SECRET, "X-Tenant", "acme"));

        assertThat(destination.deliver(List.of(event(1)))).containsExactly(Outcome.delivered());

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/hooks/sluice");
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + BEARER_SECRET);
        assertThat(request.getHeaders().get("X-Api-Key")).isEqualTo(HEADER_SECRET);
        assertThat(request.getHeaders().get("X-Tenant")).isEqualTo("acme");
        assertThat(request.getHeaders().get("User-Agent")).isEqualTo(WebhookDestination.USER_AGENT)
                .matches("sluice-webhook/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(request.getHeaders().get("X-Sluice-Signature")).isNull();
        assertThat(request.getHeaders().get("X-Sluice-Timestamp")).isNull();
        JsonNode sent = JSON.readTree(body(request));
        assertThat(sent).isEqualTo(tree(event(1)));
        assertThat(sent.get("eventn_ctx_event_id").asText()).isEqualTo("id-1");
        assertThat(sent.has("nothing")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "PATCH"})
    void usesTheConfiguredMethodAndKeepsTheQuery(String method) throws Exception {
        answer(204);
        Map<String, Object> raw = raw("url", url("/hook?key=" + QUERY_SECRET), "method", method);
        WebhookDestination destination = TestConfigs.create(raw);
        opened.add(destination);

        assertThat(destination.deliver(List.of(event(1)))).containsExactly(Outcome.delivered());
        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo(method);
        assertThat(request.getTarget()).isEqualTo("/hook?key=" + QUERY_SECRET);
        assertThat(JSON.readTree(body(request)).get("n").asInt()).isEqualTo(1);
    }

    @Test
    void batchesEventsAsJsonArraysOfUpToBatchSize() throws Exception {
        for (int i = 0; i < 3; i++) {
            answer(202);
        }
        WebhookDestination destination = destination("batch_size", 2);

        assertThat(destination.deliver(events(5))).hasSize(5).containsOnly(Outcome.delivered());

        List<Integer> sizes = new ArrayList<>();
        List<Integer> ns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode array = JSON.readTree(body(take()));
            assertThat(array.isArray()).isTrue();
            sizes.add(array.size());
            array.forEach(e -> ns.add(e.get("n").asInt()));
        }
        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(ns).containsExactly(1, 2, 3, 4, 5);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void batchSizeAboveOneSendsAnArrayEvenForOneEvent() throws Exception {
        answer(200);
        assertThat(destination("batch_size", 50).deliver(List.of(event(7)))).containsExactly(Outcome.delivered());
        JsonNode array = JSON.readTree(body(take()));
        assertThat(array.isArray()).isTrue();
        assertThat(array.get(0)).isEqualTo(tree(event(7)));
    }

    @Test
    void signsTimestampDotBodyVerifiably() throws Exception {
        answer(200);
        WebhookDestination destination = destination("signing_secret", SIGNING_SECRET, "batch_size", 3);

        destination.deliver(events(2));

        RecordedRequest request = take();
        String timestamp = request.getHeaders().get("X-Sluice-Timestamp");
        assertThat(timestamp).isEqualTo(Long.toString(NOW.getEpochSecond()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        mac.update(request.getBody().toByteArray());
        assertThat(request.getHeaders().get("X-Sluice-Signature"))
                .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal()));
    }

    @Test
    void signatureHeaderNameIsConfigurable() throws Exception {
        answer(200);
        destination("signing_secret", SIGNING_SECRET, "signature_header", "X-Hub-Signature-256")
                .deliver(List.of(event(1)));
        RecordedRequest request = take();
        assertThat(request.getHeaders().get("X-Hub-Signature-256")).startsWith("sha256=");
        assertThat(request.getHeaders().get("X-Sluice-Signature")).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 408, 429})
    void retriesWhenTheEndpointSaysLaterHonouringRetryAfterSeconds(int status) throws Exception {
        server.enqueue(new MockResponse.Builder().code(status).addHeader("Retry-After", "120")
                .body("try again later").build());

        List<Outcome> outcomes = destination().deliver(List.of(event(1)));

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Retry.class, r -> {
            assertThat(r.reason()).startsWith("HTTP " + status + " from http://127.0.0.1:" + server.getPort()
                    + "/hooks/sluice: try again later");
            assertThat(r.notBefore()).contains(NOW.plusSeconds(120));
        });
    }

    @Test
    void retryAfterAsHttpDateAndWithoutRetryAfter() throws Exception {
        Instant later = NOW.plus(Duration.ofMinutes(5));
        server.enqueue(new MockResponse.Builder().code(503)
                .addHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(later.atZone(ZoneOffset.UTC)))
                .build());
        answer(500);
        WebhookDestination destination = destination();

        assertThat(destination.deliver(List.of(event(1)))).singleElement()
                .isInstanceOfSatisfying(Outcome.Retry.class, r -> assertThat(r.notBefore()).contains(later));
        assertThat(destination.deliver(List.of(event(2)))).singleElement()
                .isInstanceOfSatisfying(Outcome.Retry.class, r -> {
                    assertThat(r.notBefore()).isEmpty();
                    assertThat(r.reason()).endsWith("(empty answer)");
                });
    }

    @Test
    void afterARetryTheRestOfTheBatchIsNotSent() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "30").build());
        WebhookDestination destination = destination();

        List<Outcome> outcomes = destination.deliver(events(3));

        assertThat(outcomes).hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.notBefore()).contains(NOW.plusSeconds(30))));
        assertThat(((Outcome.Retry) outcomes.get(1)).reason()).startsWith("not sent because an earlier request")
                .contains("HTTP 429");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void rejectsOther4xxWithStatusAndTheStartOfTheAnswerOnOneLine() throws Exception {
        String longBody = "{\"error\":\"bad\r\n  event\",\t\"detail\":\"" + "x".repeat(400) + "\"}";
        server.enqueue(new MockResponse.Builder().code(400).body(longBody).build());
        server.enqueue(new MockResponse.Builder().code(404).body("no such hook").build());

        WebhookDestination destination = destination("url", url("/hooks/sluice?key=" + QUERY_SECRET));
        Outcome first = destination.deliver(List.of(event(1))).get(0);
        Outcome second = destination.deliver(List.of(event(2))).get(0);

        String endpoint = "http://127.0.0.1:" + server.getPort() + "/hooks/sluice";
        assertThat(first).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.reason()).startsWith("HTTP 400 from " + endpoint + ": {\"error\":\"bad event\", \"detail\"")
                    .doesNotContain("\n", "\r", "\t", "?");
            assertThat(r.reason().length()).isLessThanOrEqualTo(("HTTP 400 from " + endpoint + ": ").length() + 203);
        });
        assertThat(second).isEqualTo(Outcome.rejected("HTTP 404 from " + endpoint + ": no such hook"));
    }

    @Test
    void continuesAfterARejection() throws Exception {
        answer(200);
        answer(422);
        answer(200);

        assertThat(destination().deliver(events(3))).satisfiesExactly(
                o -> assertThat(o).isEqualTo(Outcome.delivered()),
                o -> assertThat(o).isInstanceOf(Outcome.Rejected.class),
                o -> assertThat(o).isEqualTo(Outcome.delivered()));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void doesNotFollowRedirects() throws Exception {
        server.enqueue(new MockResponse.Builder().code(301)
                .addHeader("Location", "https://new.example.com/hooks/v2?token=" + QUERY_SECRET).build());
        answer(200);

        Outcome outcome = destination().deliver(List.of(event(1))).get(0);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason()).isEqualTo(
                "HTTP 301 from http://127.0.0.1:" + server.getPort() + "/hooks/sluice: redirect to"
                        + " https://new.example.com:443/hooks/v2 not followed; set url to the final address"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void networkFailureIsRetried() throws Exception {
        WebhookDestination destination = destination("url", url("/hooks/sluice?key=" + QUERY_SECRET),
                "connect_timeout", "2s", "batch_size", 2);
        server.close();

        List<Outcome> outcomes = destination.deliver(events(3));

        assertThat(outcomes).hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Retry.class));
        assertThat(((Outcome.Retry) outcomes.get(0)).reason()).contains("calling http://127.0.0.1:");
        assertThat(((Outcome.Retry) outcomes.get(2)).reason()).startsWith("not sent because an earlier request");
        assertNoSecrets(outcomes);
    }

    @Test
    void readTimeoutIsRetried() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).build());

        Outcome outcome = destination("read_timeout", "200ms").deliver(List.of(event(1))).get(0);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.reason()).startsWith("timed out calling http://127.0.0.1:"));
    }

    @Test
    void secretsNeverAppearInReasonsEvenWhenTheEndpointEchoesThem() throws Exception {
        String echo = "bad key " + HEADER_SECRET + " token Bearer " + BEARER_SECRET + " url /hook?key=" + QUERY_SECRET
                + " sig " + SIGNING_SECRET;
        server.enqueue(new MockResponse.Builder().code(401).body(echo).build());
        server.enqueue(new MockResponse.Builder().code(503).body(echo).build());
        WebhookDestination destination = destination("url", url("/hooks/sluice?key=" + QUERY_SECRET),
                "headers", raw("X-Api-Key", HEADER_SECRET), "bearer_token", BEARER_SECRET,
                "signing_secret", SIGNING_SECRET);

        List<Outcome> outcomes = new ArrayList<>(destination.deliver(List.of(event(1))));
        outcomes.addAll(destination.deliver(List.of(event(2))));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Rejected.class);
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Retry.class);
        assertThat(outcomes.toString()).contains("bad key ****", "Bearer ****");
        assertNoSecrets(outcomes);
        assertNoSecrets(destination);
    }

    @Test
    void anEventThatCannotBeWrittenIsRejectedAloneAndTheRestAreSent() throws Exception {
        answer(200);
        DestinationContext context = DestinationContext.of("hook", DestinationFactory.MODE_BATCH,
                TestConfigs.config(raw("url", url("/hooks/sluice"), "batch_size", 3)), TestConfigs.CLOCK);
        WebhookDestination destination = new WebhookDestination(WebhookConfig.from(context.config()), context,
                event -> {
                    if (event.id().equals("id-2")) {
                        throw new IllegalStateException("cannot write " + HEADER_SECRET);
                    }
                    return JSON.writeValueAsBytes(event.fields());
                });
        opened.add(destination);

        List<Outcome> outcomes = destination.deliver(events(3));

        assertThat(outcomes).satisfiesExactly(
                o -> assertThat(o).isEqualTo(Outcome.delivered()),
                o -> assertThat(o).isEqualTo(Outcome.rejected("event cannot be written as JSON")),
                o -> assertThat(o).isEqualTo(Outcome.delivered()));
        JsonNode sent = JSON.readTree(body(take()));
        assertThat(sent.size()).isEqualTo(2);
        assertThat(sent.get(1).get("n").asInt()).isEqualTo(3);
    }

    @Test
    void reportsEachCallsStatusToTheHostsMetrics() throws Exception {
        answer(200);
        answer(503);
        List<String> reported = new ArrayList<>();
        DestinationMetrics metrics = new DestinationMetrics() {
            @Override
            public void callAnswered(int status) {
                reported.add("answered " + status);
            }

            @Override
            public void callFailed() {
                reported.add("no answer");
            }
        };
        DestinationContext context = DestinationContext.of("hook", DestinationFactory.MODE_BATCH,
                TestConfigs.config(raw("url", url("/hooks/sluice"))), TestConfigs.CLOCK, Path.of("."), metrics);
        WebhookDestination destination = new WebhookDestination(WebhookConfig.from(context.config()), context);
        opened.add(destination);

        destination.deliver(events(1));
        destination.deliver(events(1));
        server.close();
        destination.deliver(events(1));

        assertThat(reported).containsExactly("answered 200", "answered 503", "no answer");
    }

    @Test
    void closeIsIdempotentAndEndsDelivery() throws Exception {
        WebhookDestination destination = destination();
        destination.start();
        destination.close();
        destination.close();
        assertThat(destination.isClosed()).isTrue();
        assertThatThrownBy(() -> destination.deliver(List.of(event(1)))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(server.getRequestCount()).isZero();
    }
}
