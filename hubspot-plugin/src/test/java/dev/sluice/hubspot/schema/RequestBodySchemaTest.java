package dev.sluice.hubspot.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.contacts.ContactUpserter;
import dev.sluice.hubspot.delivery.testing.Classifiers;
import dev.sluice.hubspot.delivery.testing.FakeEventDefinitions;
import dev.sluice.hubspot.delivery.testing.FakePropertyMapper;
import dev.sluice.hubspot.delivery.testing.MockHubSpot;
import dev.sluice.hubspot.delivery.testing.TestEvents;
import dev.sluice.hubspot.delivery.testing.TestTransport;
import dev.sluice.hubspot.events.BehavioralEventSender;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sluice.hubspot.delivery.testing.Answers.body;
import static dev.sluice.hubspot.delivery.testing.Answers.inputIds;
import static dev.sluice.hubspot.delivery.testing.Answers.noContent;
import static dev.sluice.hubspot.delivery.testing.Answers.tree;
import static dev.sluice.hubspot.delivery.testing.Answers.upsertCompleted;
import static dev.sluice.hubspot.delivery.testing.Answers.validationError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every request body the modern API path sends, in every shape our scenarios produce (merged
 * duplicates, nested payloads, narrowing halves and singles, resends without unknown properties,
 * events with and without revenue, time and definitions), validated against the request schema of
 * HubSpot's OpenAPI documents for the exact path it was sent to.
 */
class RequestBodySchemaTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static OpenApiRequestSchemas schemas;

    private MockWebServer server;
    private TestTransport transport;

    @BeforeAll
    static void loadSchemas() {
        schemas = OpenApiRequestSchemas.locate().map(OpenApiRequestSchemas::load).orElse(null);
    }

    @BeforeEach
    void start() {
        assumeTrue(schemas != null, "../shared/hubspot-openapi not found (or -D" + OpenApiRequestSchemas.DIR_PROPERTY
                + " points nowhere): skipping schema validation");
        server = MockHubSpot.start();
        transport = new TestTransport(server.url("/"), "pat-schema");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.contains("/contacts/")) {
                    List<String> ids = inputIds(request);
                    if (body(request).toString().contains("\"plan\"")) {
                        return validationError("Property values were not valid: [{\"isValid\":false,\"message\":\"Property "
                                + "\\\"plan\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"plan\"}]");
                    }
                    return ids.contains("bad@example.com") ? validationError("Email address bad@example.com is invalid")
                            : upsertCompleted(request);
                }
                return body(request).toString().contains("\"uuid\":\"ev-bad\"")
                        ? validationError("Event is not defined") : noContent();
            }
        });
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ApiVersion.class, names = {"V2026_03", "V3"})
    void everyContactUpsertBodyMatchesTheOpenApiRequestSchema(ApiVersion version) throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        ContactUpserter upserter = new ContactUpserter(transport, version, FakePropertyMapper.standard(),
                Classifiers.real(clock), 100);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("email", i == 7 ? "bad@example.com" : "User" + (i % 90) + "@Example.com");
            user.put("firstName", "N" + i);
            user.put("phone", i);
            if (i == 3) {
                user.put("plan", "pro");
            }
            events.add(i % 10 == 0 ? Event.of("ev-" + i, Map.of("event_type", "user_identify",
                    "eventn_ctx", Map.of("user", user))) : TestEvents.identify("ev-" + i, user));
        }

        List<Outcome> outcomes = upserter.send(events);

        assertThat(outcomes).filteredOn(o -> o instanceof Outcome.Rejected).hasSize(1);
        assertAllBodiesValid(6);
    }

    @ParameterizedTest
    @EnumSource(value = ApiVersion.class, names = {"V2026_03", "V3"})
    void everyEventBatchBodyMatchesTheOpenApiRequestSchema(ApiVersion version) throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        BehavioralEventSender sender = BehavioralEventSender.create(transport, version, "20546336", Map.of("Buy", "purchase"),
                FakePropertyMapper.standard(), new FakeEventDefinitions(Map.of("pe20546336_purchase", Set.of("revenue"))),
                Classifiers.real(clock), clock, 100);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Map<String, Object> extra = new LinkedHashMap<>();
            if (i % 3 == 0) {
                extra.put("utc_time", "2026-01-20T21:14:16.512345Z");
            } else if (i % 3 == 1) {
                extra.put("_timestamp", "2026-01-20 21:14:16");
            }
            if (i % 2 == 0) {
                extra.put("conversion", Map.of("revenue", i * 1.5));
            }
            events.add(TestEvents.track(i == 11 ? "ev-bad" : "ev-" + i, i % 4 == 0 ? "Buy" : "Page View",
                    "u" + i + "@example.com", extra));
        }

        List<Outcome> outcomes = sender.send(events);

        assertThat(outcomes).filteredOn(o -> o instanceof Outcome.Rejected).hasSize(1);
        assertAllBodiesValid(3);
    }

    @ParameterizedTest
    @EnumSource(value = ApiVersion.class, names = {"V2026_03", "V3"})
    void anEventTimeBeyondFourDigitYearsFallsBackToTheNextTimeSoOccurredAtStaysADateTime(ApiVersion version)
            throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        BehavioralEventSender sender = BehavioralEventSender.create(transport, version, "20546336", Map.of(),
                FakePropertyMapper.standard(), new FakeEventDefinitions(Map.of()), Classifiers.real(clock), clock, 100);
        // utc_time in microseconds (read as milliseconds it is the year 57025), then an ISO year 12026.
        List<Event> events = List.of(
                TestEvents.track("ev-micro", "purchase", "a@example.com",
                        Map.of("utc_time", 1_737_400_000_000_000L, "_timestamp", "2026-01-20T21:14:16.512Z")),
                TestEvents.track("ev-far", "purchase", "b@example.com", Map.of("utc_time", "+12026-01-20T21:14:16Z")));

        List<Outcome> outcomes = sender.send(events);

        assertThat(outcomes).containsOnly(Outcome.delivered());
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(requests).hasSize(1);
        JsonNode inputs = body(requests.get(0)).path("inputs");
        assertThat(inputs.get(0).path("occurredAt").asText()).isEqualTo("2026-01-20T21:14:16.512Z");
        assertThat(inputs.get(1).path("occurredAt").asText()).isEqualTo(NOW.toString());
        assertThat(schemas.validate(requests.get(0).getUrl().encodedPath(), body(requests.get(0)))).isEmpty();
    }

    @Test
    void theValidatorRejectsBodiesThatBreakTheSchema() {
        String upsert = "/crm/objects/2026-03/contacts/batch/upsert";
        assertThat(schemas.validate(upsert, tree("""
                {"inputs":[{"id":"a@example.com","idProperty":"email","properties":{"email":"a@example.com"}}]}
                """))).isEmpty();
        assertThat(schemas.validate(upsert, tree("{\"inputs\":[{\"id\":\"a@example.com\",\"idProperty\":\"email\"}]}")))
                .anySatisfy(m -> assertThat(m).contains("properties"));
        assertThat(schemas.validate(upsert, tree("{\"inputs\":[{\"id\":\"a@example.com\",\"properties\":{\"age\":42}}]}")))
                .anySatisfy(m -> assertThat(m).contains("integer"));
        assertThat(schemas.validate(upsert, tree("{\"input\":[]}"))).isNotEmpty();

        String send = "/events/v3/send/batch";
        assertThat(schemas.validate(send, tree("{\"inputs\":[{\"email\":\"a@example.com\",\"properties\":{}}]}")))
                .anySatisfy(m -> assertThat(m).contains("eventName"));
        assertThat(schemas.validate(send, tree("""
                {"inputs":[{"eventName":"pe1_x","occurredAt":"yesterday","properties":{}}]}
                """))).anySatisfy(m -> assertThat(m).contains("date-time"));
        assertThat(schemas.validate(send, tree("""
                {"inputs":[{"eventName":"pe1_x","occurredAt":"+57026-01-06T07:06:40Z","properties":{}}]}
                """))).anySatisfy(m -> assertThat(m).contains("date-time"));
    }

    private void assertAllBodiesValid(int atLeast) throws InterruptedException {
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(requests).hasSizeGreaterThanOrEqualTo(atLeast);
        for (RecordedRequest request : requests) {
            JsonNode body = body(request);
            assertThat(request.getMethod()).isEqualTo("POST");
            assertThat(schemas.validate(request.getUrl().encodedPath(), body))
                    .as("schema errors for POST %s", request.getUrl().encodedPath()).isEmpty();
        }
    }
}
