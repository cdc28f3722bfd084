package dev.sluice.hubspot.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.hubspot.delivery.testing.MockHubSpot;
import dev.sluice.hubspot.delivery.testing.TestEvents;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static dev.sluice.hubspot.delivery.testing.Answers.body;
import static dev.sluice.hubspot.delivery.testing.Answers.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole plugin as the host drives it: ServiceLoader, config validation, create, start, deliver, close. */
class FactoryEndToEndTest {

    private static final String TOKEN = "pat-na1-e2e-secret-token";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    private MockWebServer server;
    private FakeHubSpot hubSpot;

    @BeforeEach
    void start() {
        server = MockHubSpot.start();
        hubSpot = new FakeHubSpot();
        server.setDispatcher(hubSpot);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Destination create(String apiVersion) {
        DestinationFactory factory = ServiceLoader.load(DestinationFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.type().equals("hubspot")).findFirst().orElseThrow();
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("access_token", TOKEN);
        raw.put("hub_id", "20546336");
        raw.put("api_version", apiVersion);
        raw.put("base_url", server.url("/").toString());
        raw.put("track_base_url", server.url("/").toString());
        DestinationConfig config = DestinationConfig.validate(factory.configFields(), raw);
        assertThat(factory.validate(config)).isEmpty();
        assertThat(factory.supportedModes()).contains(DestinationFactory.MODE_STREAM);
        return factory.create(DestinationContext.of("my_hubspot", DestinationFactory.MODE_STREAM, config, CLOCK));
    }

    private static List<Event> batch() {
        return List.of(
                TestEvents.identify("i1", Map.of("email", "John@Example.com", "firstName", "John", "hs_object_id", "9",
                        "shoe size", "44")),
                Event.of("t1", Map.of("event_type", "purchase", "user", ordered("email", "john@example.com", "firstname", "John",
                        "lastname", "Doe"), "conversion", Map.of("revenue", 2000.0, "currency", "USD"),
                        "utc_time", "2026-01-20T21:14:16.512Z")),
                TestEvents.identify("i2", Map.of("email", "john@example.com", "lastname", "Doe")),
                TestEvents.identify("i3", Map.of("firstname", "NoEmail")));
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void modernPathReadsTheCatalogsThenUpsertsAndSendsEvents() throws Exception {
        List<Outcome> outcomes;
        try (Destination destination = create("2026-03")) {
            destination.start();
            outcomes = destination.deliver(batch());
        }

        assertThat(outcomes.subList(0, 3)).containsOnly(Outcome.delivered());
        assertThat(outcomes.get(3)).isInstanceOf(Outcome.Rejected.class);
        assertThat(hubSpot.calls()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GET /crm/properties/2026-03/contacts", 1L,
                "GET /events/2026-03/event-definitions", 1L,
                "POST /crm/objects/2026-03/contacts/batch/upsert", 1L,
                "POST /events/2026-03/send/batch", 1L));
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        for (RecordedRequest request : requests) {
            assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(request.getHeaders().get("User-Agent")).startsWith("Sluice-HubSpot/");
        }
        RecordedRequest upsert = requests.stream()
                .filter(r -> r.getUrl().encodedPath().endsWith("batch/upsert")).findFirst().orElseThrow();
        assertThat(body(upsert)).isEqualTo(tree("""
                {"inputs":[{"id":"john@example.com","idProperty":"email","objectWriteTraceId":"i1",
                  "properties":{"email":"john@example.com","firstname":"John","lastname":"Doe"}}]}
                """));
        JsonNode event = body(requests.stream().filter(r -> r.getUrl().encodedPath().endsWith("send/batch"))
                .findFirst().orElseThrow()).path("inputs").get(0);
        assertThat(event).isEqualTo(tree("""
                {"eventName":"pe20546336_purchase","email":"john@example.com","occurredAt":"2026-01-20T21:14:16.512Z",
                 "uuid":"t1","properties":{"revenue":"2000","firstname":"John"}}
                """));
    }

    @Test
    void legacyPathMakesJitsuClassicsCalls() throws Exception {
        List<Outcome> outcomes;
        try (Destination destination = create("legacy")) {
            destination.start();
            outcomes = destination.deliver(batch());
        }

        assertThat(outcomes.subList(0, 3)).containsOnly(Outcome.delivered());
        assertThat(hubSpot.calls()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GET /properties/v1/contacts/properties", 1L,
                "POST /contacts/v1/contact/createOrUpdate/email/{email}/", 2L,
                "GET /v1/event", 1L));
        RecordedRequest pixel = MockHubSpot.taken(server).stream()
                .filter(r -> r.getUrl().encodedPath().equals("/v1/event")).findFirst().orElseThrow();
        assertThat(pixel.getHeaders().get("Authorization")).isNull();
        assertThat(pixel.getUrl().encodedQuery())
                .isEqualTo("_a=20546336&_n=purchase&email=john%40example.com&_m=2000&firstname=John&lastname=Doe");
    }

    @Test
    void theTokenAppearsInNoOutcomeReason() throws Exception {
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public mockwebserver3.MockResponse dispatch(RecordedRequest request) {
                return request.getMethod().equals("GET") ? hubSpot.dispatch(request)
                        : dev.sluice.hubspot.delivery.testing.Answers.json(401, "{\"status\":\"error\",\"message\":"
                        + "\"Authentication credentials not found.\",\"category\":\"INVALID_AUTHENTICATION\"}");
            }
        });
        List<Outcome> outcomes;
        try (Destination destination = create("2026-03")) {
            destination.start();
            outcomes = destination.deliver(batch());
        }
        assertThat(outcomes.subList(0, 3)).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Retry.class));
        assertThat(outcomes.toString()).doesNotContain(TOKEN).contains("401");
    }
}
