package dev.sluice.hubspot.contacts;

import dev.sluice.api.Outcome;
import dev.sluice.hubspot.delivery.testing.Classifiers;
import dev.sluice.hubspot.delivery.testing.FakePropertyMapper;
import dev.sluice.hubspot.delivery.testing.MockHubSpot;
import dev.sluice.hubspot.delivery.testing.TestEvents;
import dev.sluice.hubspot.delivery.testing.TestTransport;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.sluice.hubspot.delivery.testing.Answers.body;
import static dev.sluice.hubspot.delivery.testing.Answers.json;
import static dev.sluice.hubspot.delivery.testing.Answers.tree;
import static org.assertj.core.api.Assertions.assertThat;

class LegacyContactWriterTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private MockWebServer server;
    private TestTransport transport;
    private FakePropertyMapper mapper;
    private LegacyContactWriter writer;

    @BeforeEach
    void start() {
        server = MockHubSpot.start();
        transport = new TestTransport(server.url("/"), "pat-legacy");
        mapper = FakePropertyMapper.standard();
        writer = new LegacyContactWriter(transport, mapper, Classifiers.real(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @AfterEach
    void stop() {
        transport.close();
        server.close();
    }

    @Test
    void postsOneCreateOrUpdatePerEventWithTheEmailUrlEncodedInThePath() throws Exception {
        server.enqueue(json(200, "{\"vid\":3234574,\"isNew\":false}"));
        server.enqueue(json(200, "{\"vid\":3234575,\"isNew\":true}"));
        Map<String, Object> user = new java.util.LinkedHashMap<>();
        user.put("email", "John+Tag@Example.com");
        user.put("firstname", "John");
        List<Outcome> outcomes = writer.send(List.of(
                TestEvents.identify("ev-1", user),
                TestEvents.identify("ev-2", "john+tag@example.com", "Johnny")));

        assertThat(outcomes).containsExactly(Outcome.delivered(), Outcome.delivered());
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(requests).hasSize(2);
        for (RecordedRequest request : requests) {
            assertThat(request.getMethod()).isEqualTo("POST");
            assertThat(request.getTarget()).isEqualTo("/contacts/v1/contact/createOrUpdate/email/john%2Btag%40example.com/");
            assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer pat-legacy");
        }
        assertThat(body(requests.get(0))).isEqualTo(tree("""
                {"properties":[{"property":"email","value":"john+tag@example.com"},{"property":"firstname","value":"John"}]}
                """));
        assertThat(body(requests.get(1)).path("properties").get(1)).isEqualTo(tree("{\"property\":\"firstname\",\"value\":\"Johnny\"}"));
    }

    @Test
    void a400RejectsTheEventWithHubSpotsMessageAndTheNextIsStillSent() throws Exception {
        server.enqueue(json(400, "{\"status\":\"error\",\"message\":\"Email address a@b.c is invalid\",\"category\":\"VALIDATION_ERROR\"}"));
        server.enqueue(json(200, "{\"vid\":1,\"isNew\":true}"));
        List<Outcome> outcomes = writer.send(List.of(
                TestEvents.identify("ev-1", "a@b.co", null), TestEvents.identify("ev-2", "ok@example.com", null)));

        assertThat(outcomes).containsExactly(
                Outcome.rejected("HubSpot 400 VALIDATION_ERROR: Email address a@b.c is invalid"), Outcome.delivered());
    }

    @Test
    void a400ForAnUnknownPropertyResendsOnceWithoutIt() throws Exception {
        server.enqueue(json(400, "{\"status\":\"error\",\"message\":\"Property values were not valid\","
                + "\"validationResults\":[{\"isValid\":false,\"message\":\"Property \\\"plan\\\" does not exist\","
                + "\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"plan\"}]}"));
        server.enqueue(json(200, "{\"vid\":1,\"isNew\":true}"));
        List<Outcome> outcomes = writer.send(List.of(
                TestEvents.identify("ev-1", Map.of("email", "a@example.com", "plan", "pro"))));

        assertThat(outcomes).containsExactly(Outcome.delivered());
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(body(requests.get(1))).isEqualTo(tree("{\"properties\":[{\"property\":\"email\",\"value\":\"a@example.com\"}]}"));
        assertThat(mapper.invalidations()).isEqualTo(1);
    }

    @Test
    void a409RejectsAndA503RetriesAndStopsTheRest() throws Exception {
        server.enqueue(json(409, "{\"status\":\"error\",\"message\":\"Contact already exists. Existing ID: 5\",\"category\":\"CONFLICT\"}"));
        server.enqueue(json(503, "{\"status\":\"error\",\"message\":\"Service Unavailable\"}"));
        List<Outcome> outcomes = writer.send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null),
                TestEvents.identify("ev-2", "b@example.com", null),
                TestEvents.identify("ev-3", "c@example.com", null),
                TestEvents.identify("ev-4", "bad", null)));

        assertThat(outcomes.get(0)).isEqualTo(Outcome.rejected("HubSpot 409 CONFLICT: Contact already exists. Existing ID: 5"));
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Retry.class);
        assertThat(outcomes.get(2)).isEqualTo(outcomes.get(1));
        assertThat(outcomes.get(3)).isInstanceOf(Outcome.Rejected.class);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }
}
