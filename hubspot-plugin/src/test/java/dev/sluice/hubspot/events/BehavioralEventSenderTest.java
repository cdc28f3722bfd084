package dev.sluice.hubspot.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.Event;
import dev.sluice.hubspot.catalog.ContactProperty;
import dev.sluice.hubspot.catalog.EventDefinition;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.delivery.testing.Classifiers;
import dev.sluice.hubspot.delivery.testing.FakeEventDefinitions;
import dev.sluice.hubspot.delivery.testing.FakePropertyMapper;
import dev.sluice.hubspot.delivery.testing.MockHubSpot;
import dev.sluice.hubspot.delivery.testing.TestEvents;
import dev.sluice.hubspot.delivery.testing.TestTransport;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static dev.sluice.hubspot.delivery.testing.Answers.body;
import static dev.sluice.hubspot.delivery.testing.Answers.json;
import static dev.sluice.hubspot.delivery.testing.Answers.noContent;
import static dev.sluice.hubspot.delivery.testing.Answers.tree;
import static org.assertj.core.api.Assertions.assertThat;

class BehavioralEventSenderTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String HUB = "20546336";

    private MockWebServer server;
    private TestTransport transport;

    @BeforeEach
    void start() {
        server = MockHubSpot.start();
        transport = new TestTransport(server.url("/"), "pat-events");
    }

    @AfterEach
    void stop() {
        transport.close();
        server.close();
    }

    private BehavioralEventSender sender(ApiVersion version, FakeEventDefinitions definitions, Map<String, String> names) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return BehavioralEventSender.create(transport, version, HUB, names, FakePropertyMapper.standard(), definitions,
                Classifiers.real(clock), clock, 100);
    }

    private void answer(java.util.function.Function<RecordedRequest, MockResponse> answer) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
    }

    private static List<String> uuids(RecordedRequest request) {
        return StreamSupport.stream(body(request).path("inputs").spliterator(), false)
                .map(i -> i.path("uuid").asText()).toList();
    }

    @Test
    void sendsABatchWithNameEmailTimeUuidAndRevenue() throws Exception {
        answer(r -> noContent());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", "John@Example.com");
        user.put("firstname", "John");
        user.put("unknown key", "x");
        Event purchase = Event.of("ev-1", Map.of("event_type", "Purchase", "user", user,
                "utc_time", "2026-01-20T21:14:16.512345Z", "_timestamp", "2026-01-21T00:00:00Z",
                "conversion", Map.of("revenue", 2000.0, "currency", "USD")));
        Event view = TestEvents.track("ev-2", "page view", "jane@example.com",
                Map.of("_timestamp", "2026-01-21T08:00:00.100Z", "revenue", 12));
        Event noTime = TestEvents.track("ev-3", "ping", "x@example.com", Map.of());

        List<Outcome> outcomes = sender(ApiVersion.V2026_03, FakeEventDefinitions.none(), Map.of())
                .send(List.of(purchase, view, noTime));

        assertThat(outcomes).containsExactly(Outcome.delivered(), Outcome.delivered(), Outcome.delivered());
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(requests).hasSize(1);
        RecordedRequest request = requests.get(0);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/events/2026-03/send/batch");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer pat-events");
        assertThat(body(request)).isEqualTo(tree("""
                {"inputs":[
                  {"eventName":"pe20546336_purchase","email":"john@example.com","occurredAt":"2026-01-20T21:14:16.512Z",
                   "uuid":"ev-1","properties":{"revenue":"2000","email":"john@example.com","firstname":"John"}},
                  {"eventName":"pe20546336_page_view","email":"jane@example.com","occurredAt":"2026-01-21T08:00:00.100Z",
                   "uuid":"ev-2","properties":{"revenue":"12","email":"jane@example.com"}},
                  {"eventName":"pe20546336_ping","email":"x@example.com","occurredAt":"2026-03-01T10:00:00Z",
                   "uuid":"ev-3","properties":{"email":"x@example.com"}}]}
                """));
    }

    @Test
    void v3UsesTheNumberedPathAndMappedNames() throws Exception {
        answer(r -> noContent());
        sender(ApiVersion.V3, FakeEventDefinitions.none(), Map.of("Order Placed", "order"))
                .send(List.of(TestEvents.track("ev-1", "Order Placed", "a@example.com", Map.of())));
        RecordedRequest request = MockHubSpot.taken(server).get(0);
        assertThat(request.getUrl().encodedPath()).isEqualTo("/events/v3/send/batch");
        assertThat(body(request).path("inputs").get(0).path("eventName").asText()).isEqualTo("pe20546336_order");
    }

    @Test
    void sendsEveryEventFieldTheDefinitionHasCoercedByItsType() throws Exception {
        answer(r -> noContent());
        EventDefinition purchaseDefinition = new EventDefinition("pe20546336_purchase", Map.of(
                "revenue", property("revenue", "number", List.of()),
                "currency", property("currency", "string", List.of()),
                "quantity", property("quantity", "number", List.of()),
                "plan", property("plan", "enumeration", List.of(new ContactProperty.Option("Pro plan", "pro"))),
                "gift", property("gift", "bool", List.of()),
                "order_id", property("order_id", "string", List.of()),
                "firstname", property("firstname", "string", List.of())));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event_type", "purchase");
        fields.put("user", Map.of("email", "a@example.com", "firstname", "A"));
        fields.put("Order ID", "o-17");
        fields.put("quantity", "3.0");
        fields.put("plan", "Pro plan");
        fields.put("gift", "yes");
        fields.put("url", "https://shop.example.com/");
        fields.put("conversion", Map.of("revenue", 42.5, "currency", "EUR", "quantity", 99, "firstname", "B",
                "tax", 1.5));
        Event purchase = Event.of("ev-1", fields);

        sender(ApiVersion.V2026_03, FakeEventDefinitions.known(purchaseDefinition), Map.of()).send(List.of(purchase));

        // Top-level fields before conversion's (quantity "3.0", not 99); event fields before the user's
        // contact properties (firstname B from the event, not A); fields the definition lacks (url, tax) left out.
        assertThat(body(MockHubSpot.taken(server).get(0)).path("inputs").get(0).path("properties")).isEqualTo(tree("""
                {"revenue":"42.5","order_id":"o-17","quantity":"3.0","plan":"pro","gift":"true","currency":"EUR",
                 "firstname":"B"}
                """));
    }

    @Test
    void aFieldTheDefinitionsTypeRefusesIsLeftOutAndTheRestSent() throws Exception {
        answer(r -> noContent());
        EventDefinition definition = new EventDefinition("pe20546336_purchase", Map.of(
                "quantity", property("quantity", "number", List.of()),
                "currency", property("currency", "string", List.of())));
        Event purchase = Event.of("ev-1", Map.of("event_type", "purchase", "user", Map.of("email", "a@example.com"),
                "quantity", "three", "currency", "USD"));

        sender(ApiVersion.V2026_03, FakeEventDefinitions.known(definition), Map.of()).send(List.of(purchase));

        assertThat(body(MockHubSpot.taken(server).get(0)).path("inputs").get(0).path("properties"))
                .isEqualTo(tree("{\"currency\":\"USD\"}"));
    }

    private static ContactProperty property(String name, String type, List<ContactProperty.Option> options) {
        return new ContactProperty(name, type, options.isEmpty() ? "text" : "select", options, false, false);
    }

    @Test
    void keepsOnlyPropertiesTheKnownDefinitionHas() throws Exception {
        answer(r -> noContent());
        FakeEventDefinitions definitions = new FakeEventDefinitions(Map.of("pe20546336_purchase", Set.of("revenue", "firstname")));
        Event purchase = Event.of("ev-1", Map.of("event_type", "purchase", "revenue", "19.90",
                "user", Map.of("email", "a@example.com", "firstname", "A", "lastname", "B")));

        sender(ApiVersion.V2026_03, definitions, Map.of()).send(List.of(purchase));

        assertThat(body(MockHubSpot.taken(server).get(0)).path("inputs").get(0).path("properties"))
                .isEqualTo(tree("{\"revenue\":\"19.9\",\"firstname\":\"A\"}"));
    }

    @Test
    void skipsEventsThePortalHasNoDefinitionForWithoutCallingHubSpot() throws Exception {
        answer(r -> noContent());
        FakeEventDefinitions definitions = FakeEventDefinitions.known(Map.of("pe20546336_purchase", Set.of("revenue")));

        List<Outcome> outcomes = sender(ApiVersion.V2026_03, definitions, Map.of()).send(List.of(
                TestEvents.track("ev-1", "pageview", "a@example.com", Map.of()),
                TestEvents.track("ev-2", "purchase", "a@example.com", Map.of("revenue", 5))));

        assertThat(outcomes.get(0)).isEqualTo(Outcome.skipped("HubSpot has no custom event definition named "
                + "'pe20546336_pageview'; create it in HubSpot or map this event_type with event_names"));
        assertThat(outcomes.get(1)).isEqualTo(Outcome.delivered());
        assertThat(uuids(MockHubSpot.taken(server).get(0))).containsExactly("ev-2");
    }

    @Test
    void sendsEveryEventWhenTheDefinitionsCouldNotBeRead() throws Exception {
        answer(r -> noContent());

        List<Outcome> outcomes = sender(ApiVersion.V2026_03, FakeEventDefinitions.none(), Map.of()).send(List.of(
                TestEvents.track("ev-1", "pageview", "a@example.com", Map.of())));

        assertThat(outcomes).containsExactly(Outcome.delivered());
        assertThat(uuids(MockHubSpot.taken(server).get(0))).containsExactly("ev-1");
    }

    @Test
    void sendsAtMost50Properties() throws Exception {
        answer(r -> noContent());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", "a@example.com");
        Set<String> known = new java.util.HashSet<>(Set.of("email"));
        for (int i = 0; i < 60; i++) {
            user.put("p" + i, "v" + i);
            known.add("p" + i);
        }
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        BehavioralEventSender sender = BehavioralEventSender.create(transport, ApiVersion.V2026_03, HUB, Map.of(),
                new FakePropertyMapper(known), FakeEventDefinitions.none(), Classifiers.real(clock), clock, 100);

        sender.send(List.of(Event.of("ev-1", Map.of("event_type", "x", "user", user))));

        JsonNode properties = body(MockHubSpot.taken(server).get(0)).path("inputs").get(0).path("properties");
        assertThat(properties.size()).isEqualTo(50);
        assertThat(properties.path("email").asText()).isEqualTo("a@example.com");
        assertThat(properties.has("p48")).isTrue();
        assertThat(properties.has("p49")).isFalse();
    }

    @Test
    void rejectsEventsWithoutEmailOrValidNameWithoutSendingThem() throws Exception {
        answer(r -> noContent());
        List<Outcome> outcomes = sender(ApiVersion.V2026_03, FakeEventDefinitions.none(), Map.of()).send(List.of(
                TestEvents.track("ev-1", "click", null, Map.of()),
                TestEvents.track("ev-2", "404", "a@example.com", Map.of()),
                TestEvents.track("ev-3", "click", "b@example.com", Map.of())));

        assertThat(((Outcome.Rejected) outcomes.get(0)).reason()).contains("email");
        assertThat(((Outcome.Rejected) outcomes.get(1)).reason()).contains("'404'");
        assertThat(outcomes.get(2)).isEqualTo(Outcome.delivered());
        assertThat(uuids(MockHubSpot.taken(server).get(0))).containsExactly("ev-3");
    }

    @Test
    void chunksBy100AndNarrowsA400DownToTheBadOccurrence() throws Exception {
        answer(r -> uuids(r).contains("ev-130") ? json(400, "{\"status\":\"error\",\"message\":\"Event pe20546336_bad is not defined\","
                + "\"category\":\"VALIDATION_ERROR\",\"correlationId\":\"c\"}") : noContent());
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            events.add(TestEvents.track("ev-" + i, i == 130 ? "bad" : "click", "u" + i + "@example.com", Map.of()));
        }
        List<Outcome> outcomes = sender(ApiVersion.V2026_03, FakeEventDefinitions.none(), Map.of()).send(events);

        assertThat(outcomes.get(130)).isEqualTo(Outcome.rejected("HubSpot 400 VALIDATION_ERROR: Event pe20546336_bad is not defined"));
        assertThat(outcomes.stream().filter(o -> o.equals(Outcome.delivered())).count()).isEqualTo(149);
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(requests.get(0).getBody().size()).isPositive();
        assertThat(uuids(requests.get(0))).hasSize(100);
        assertThat(uuids(requests.get(1))).hasSize(50);
    }

    @Test
    void a403WithoutEnterpriseIsRetriedForEveryEvent() throws Exception {
        answer(r -> json(403, "{\"status\":\"error\",\"message\":\"This endpoint requires an Enterprise subscription\","
                + "\"category\":\"MISSING_SCOPES\",\"correlationId\":\"c\"}"));
        List<Outcome> outcomes = sender(ApiVersion.V2026_03, FakeEventDefinitions.none(), Map.of()).send(List.of(
                TestEvents.track("ev-1", "click", "a@example.com", Map.of()),
                TestEvents.track("ev-2", "click", "b@example.com", Map.of())));

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Retry.class));
        assertThat(((Outcome.Retry) outcomes.get(0)).reason()).contains("Enterprise");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
