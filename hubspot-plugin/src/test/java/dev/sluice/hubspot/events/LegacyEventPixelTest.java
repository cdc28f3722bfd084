package dev.sluice.hubspot.events;

import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.delivery.testing.Classifiers;
import dev.sluice.hubspot.delivery.testing.FakePropertyMapper;
import dev.sluice.hubspot.delivery.testing.MockHubSpot;
import dev.sluice.hubspot.delivery.testing.TestEvents;
import dev.sluice.hubspot.delivery.testing.TestTransport;
import mockwebserver3.MockResponse;
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

import static org.assertj.core.api.Assertions.assertThat;

class LegacyEventPixelTest {

    private MockWebServer api;
    private MockWebServer track;
    private TestTransport transport;
    private LegacyEventPixel pixel;

    @BeforeEach
    void start() {
        api = MockHubSpot.start();
        track = MockHubSpot.start();
        transport = new TestTransport(api.url("/"), track.url("/"), "pat-secret");
        pixel = new LegacyEventPixel(transport, "20546336", FakePropertyMapper.standard(),
                Classifiers.real(Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC)));
    }

    @AfterEach
    void stop() {
        transport.close();
        api.close();
        track.close();
    }

    private static MockResponse gif() {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "image/gif").body("GIF89a").build();
    }

    @Test
    void getsThePixelExactlyAsJitsuClassicDidWithoutCredentials() throws Exception {
        track.enqueue(gif());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", "John+Tag@Example.com");
        user.put("firstname", "Jöhn & Co");
        user.put("unknown", "dropped");
        Event event = Event.of("ev-1", Map.of("event_type", "Purchase Done", "user", user,
                "conversion", Map.of("revenue", 2000.5)));

        assertThat(pixel.send(List.of(event))).containsExactly(Outcome.delivered());

        List<RecordedRequest> requests = MockHubSpot.taken(track);
        assertThat(requests).hasSize(1);
        RecordedRequest request = requests.get(0);
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/v1/event?_a=20546336&_n=Purchase+Done"
                + "&email=john%2Btag%40example.com&_m=2000.5&firstname=J%C3%B6hn+%26+Co");
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertThat(request.getUrl().queryParameter("email")).isEqualTo("john+tag@example.com");
        assertThat(api.getRequestCount()).isZero();
    }

    @Test
    void omitsRevenueWhenThereIsNoneAndRejectsEventsWithoutEmail() throws Exception {
        track.enqueue(gif());
        List<Outcome> outcomes = pixel.send(List.of(
                TestEvents.track("ev-1", "click", null, Map.of()),
                TestEvents.track("ev-2", "click", "a@example.com", Map.of())));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Rejected.class);
        assertThat(outcomes.get(1)).isEqualTo(Outcome.delivered());
        assertThat(MockHubSpot.taken(track).get(0).getTarget()).isEqualTo("/v1/event?_a=20546336&_n=click&email=a%40example.com");
    }

    @Test
    void aServerErrorRetriesAndStopsTheRemainingCalls() throws Exception {
        track.enqueue(new MockResponse.Builder().code(502).build());
        List<Outcome> outcomes = pixel.send(List.of(
                TestEvents.track("ev-1", "click", "a@example.com", Map.of()),
                TestEvents.track("ev-2", "click", "b@example.com", Map.of())));

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Retry.class));
        assertThat(track.getRequestCount()).isEqualTo(1);
    }
}
