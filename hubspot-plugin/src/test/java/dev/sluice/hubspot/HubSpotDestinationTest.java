package dev.sluice.hubspot;

import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationException;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.Secret;
import dev.sluice.hubspot.delivery.EventBatchSender;
import dev.sluice.hubspot.delivery.testing.Classifiers;
import dev.sluice.hubspot.delivery.testing.FakeEventDefinitions;
import dev.sluice.hubspot.delivery.testing.FakePropertyMapper;
import dev.sluice.hubspot.delivery.testing.MockHubSpot;
import dev.sluice.hubspot.delivery.testing.TestEvents;
import dev.sluice.hubspot.delivery.testing.TestTransport;
import dev.sluice.hubspot.http.HubSpotTransport;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.sluice.hubspot.delivery.testing.Answers.noContent;
import static dev.sluice.hubspot.delivery.testing.Answers.upsertCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubSpotDestinationTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    /** Answers each event with a reason naming the event id and the sender, and records what it got. */
    private static final class EchoSender implements EventBatchSender {
        final String name;
        final List<List<String>> calls = new ArrayList<>();

        EchoSender(String name) {
            this.name = name;
        }

        @Override
        public List<Outcome> send(List<Event> events) {
            calls.add(events.stream().map(Event::id).toList());
            return events.stream().map(e -> Outcome.skipped(name + ":" + e.id())).toList();
        }
    }

    private static final class NoTransport implements HubSpotTransport {
        boolean closed;

        @Override
        public dev.sluice.hubspot.http.HubSpotResponse send(dev.sluice.hubspot.http.HubSpotRequest request) {
            throw new AssertionError("no call expected");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void splitsIdentifiesFromOtherEventsAndAnswersInInputOrder() throws Exception {
        EchoSender identifies = new EchoSender("contacts");
        EchoSender others = new EchoSender("events");
        HubSpotDestination destination = new HubSpotDestination(100, new NoTransport(), List.of(), identifies, others);

        List<Outcome> outcomes = destination.deliver(List.of(
                TestEvents.track("t1", "page_view", "a@example.com", Map.of()),
                TestEvents.identify("i1", "a@example.com", null),
                Event.of("t2", Map.of("user", Map.of("email", "b@example.com"))),
                TestEvents.identify("i2", "b@example.com", null),
                TestEvents.track("t3", "User_Identify", "c@example.com", Map.of())));

        assertThat(outcomes).containsExactly(Outcome.skipped("events:t1"), Outcome.skipped("contacts:i1"),
                Outcome.skipped("events:t2"), Outcome.skipped("contacts:i2"), Outcome.skipped("events:t3"));
        assertThat(identifies.calls).containsExactly(List.of("i1", "i2"));
        assertThat(others.calls).containsExactly(List.of("t1", "t2", "t3"));
    }

    @Test
    void doesNotCallASenderWithoutEvents() throws Exception {
        EchoSender identifies = new EchoSender("contacts");
        EchoSender others = new EchoSender("events");
        new HubSpotDestination(100, new NoTransport(), List.of(), identifies, others)
                .deliver(List.of(TestEvents.identify("i1", "a@example.com", null)));
        assertThat(others.calls).isEmpty();
    }

    @Test
    void failsTheBatchWhenASenderMiscounts() {
        EventBatchSender broken = events -> List.of();
        HubSpotDestination destination = new HubSpotDestination(100, new NoTransport(), List.of(), broken, broken);
        assertThatThrownBy(() -> destination.deliver(List.of(TestEvents.identify("i1", "a@example.com", null))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("0 outcomes for 1 events");
    }

    @Test
    void startRunsEveryStepInOrderAndPassesTheirFailureOn() {
        List<String> ran = new ArrayList<>();
        HubSpotDestination destination = new HubSpotDestination(100, new NoTransport(), List.of(
                () -> ran.add("properties"),
                () -> {
                    ran.add("definitions");
                    throw new DestinationException("HubSpot refused the access token (401)", false);
                },
                () -> ran.add("never")), new EchoSender("c"), new EchoSender("e"));

        assertThatThrownBy(destination::start).isInstanceOf(DestinationException.class).hasMessageContaining("401");
        assertThat(ran).containsExactly("properties", "definitions");
    }

    @Test
    void reportsItsBatchSizeAndClosesTheTransport() {
        NoTransport transport = new NoTransport();
        HubSpotDestination destination = new HubSpotDestination(40, transport, List.of(), new EchoSender("c"), new EchoSender("e"));
        assertThat(destination.maxBatchSize()).isEqualTo(40);
        destination.close();
        assertThat(transport.closed).isTrue();
    }

    private static HubSpotSettings settings(ApiVersion version, String root) {
        return new HubSpotSettings(Optional.of(Secret.of("pat-na1-secret")), Optional.empty(), "20546336", version,
                root, root, Duration.ofSeconds(5), Duration.ofSeconds(10), 100, Map.of(), Duration.ofSeconds(60), 100);
    }

    private static List<String> deliverMixedBatch(ApiVersion version, List<Outcome> outcomesOut) throws Exception {
        try (MockWebServer server = MockHubSpot.start()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return request.getUrl().encodedPath().endsWith("batch/upsert") ? upsertCompleted(request)
                            : request.getUrl().encodedPath().startsWith("/v1/event")
                            ? new MockResponse.Builder().code(200).body("GIF89a").build()
                            : request.getUrl().encodedPath().startsWith("/contacts/v1")
                            ? new MockResponse.Builder().code(200).body("{\"vid\":1,\"isNew\":true}").build()
                            : noContent();
                }
            });
            HubSpotSettings settings = settings(version, server.url("/").toString());
            FakePropertyMapper properties = FakePropertyMapper.standard();
            FakeEventDefinitions definitions = FakeEventDefinitions.none();
            HubSpotDestination destination = HubSpotDestinationAssembler.assemble(
                    DestinationContext.of("hs", "stream", null, CLOCK), settings,
                    new TestTransport(server.url("/"), "pat-na1-secret"), properties, definitions,
                    Classifiers.real(CLOCK));
            destination.start();
            assertThat(properties.loads()).isEqualTo(1);
            assertThat(definitions.loads()).isEqualTo(version == ApiVersion.LEGACY ? 0 : 1);
            outcomesOut.addAll(destination.deliver(List.of(
                    TestEvents.identify("i1", "a@example.com", "A"),
                    TestEvents.track("t1", "click", "a@example.com", Map.of()),
                    TestEvents.identify("i2", "a@example.com", "B"),
                    TestEvents.track("t2", "click", "b@example.com", Map.of()))));
            destination.close();
            return MockHubSpot.taken(server).stream().map(r -> r.getMethod() + " " + r.getUrl().encodedPath()).toList();
        }
    }

    @Test
    void modernModeMakesOneUpsertAndOneEventBatch() throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        List<String> calls = deliverMixedBatch(ApiVersion.V2026_03, outcomes);
        assertThat(outcomes).containsOnly(Outcome.delivered()).hasSize(4);
        assertThat(calls).containsExactly("POST /crm/objects/2026-03/contacts/batch/upsert", "POST /events/2026-03/send/batch");
    }

    @Test
    void legacyModeMakesJitsuClassicsCallOnePerEvent() throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        List<String> calls = deliverMixedBatch(ApiVersion.LEGACY, outcomes);
        assertThat(outcomes).containsOnly(Outcome.delivered()).hasSize(4);
        assertThat(calls).containsExactly(
                "POST /contacts/v1/contact/createOrUpdate/email/a%40example.com/",
                "POST /contacts/v1/contact/createOrUpdate/email/a%40example.com/",
                "GET /v1/event", "GET /v1/event");
    }
}
