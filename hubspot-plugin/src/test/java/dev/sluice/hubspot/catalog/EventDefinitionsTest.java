package dev.sluice.hubspot.catalog;

import dev.sluice.api.DestinationException;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.http.OkHttpHubSpotTransport;
import dev.sluice.hubspot.http.RecordingLogger;
import dev.sluice.hubspot.http.TestSettings;
import dev.sluice.hubspot.ratelimit.MutableClock;
import dev.sluice.hubspot.ratelimit.RateLimiter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventDefinitionsTest {

    private static final Duration REFRESH = Duration.ofSeconds(60);

    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    private final RecordingLogger logger = new RecordingLogger();
    private OkHttpHubSpotTransport transport;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        server.close();
    }

    private EventDefinitions definitions(ApiVersion version) {
        transport = OkHttpHubSpotTransport.withLimiter(TestSettings.bearer(TestSettings.root(server), version),
                RateLimiter.per10Seconds(100, clock, clock), clock, logger);
        return new EventDefinitions(transport, version, REFRESH, clock, logger);
    }

    private void enqueue(int status, String body) {
        server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .body(body).build());
    }

    private void enqueuePages() {
        enqueue(200, Fixtures.read("event-definitions-page1.json"));
        enqueue(200, Fixtures.read("event-definitions-page2.json"));
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    @Test
    void readsEveryPageWithPropertiesFollowingTheCursor() throws Exception {
        enqueuePages();
        EventDefinitions definitions = definitions(ApiVersion.V2026_03);
        definitions.load();
        RecordedRequest first = take();
        assertThat(first.getMethod()).isEqualTo("GET");
        assertThat(first.getTarget()).isEqualTo("/events/2026-03/event-definitions?includeProperties=true");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + TestSettings.TOKEN);
        RecordedRequest second = take();
        assertThat(second.getTarget()).isEqualTo("/events/2026-03/event-definitions?includeProperties=true"
                + "&after=cursor%2B1%2F2");
        assertThat(second.getUrl().queryParameter("after")).isEqualTo("cursor+1/2");
        assertThat(definitions.definitionsKnown()).isTrue();
        assertThat(definitions.find("pe20546336_purchase")).hasValueSatisfying(d -> {
            assertThat(d.fullyQualifiedName()).isEqualTo("pe20546336_purchase");
            assertThat(d.propertyNames()).containsExactlyInAnyOrder("revenue", "currency", "hs_page_url");
        });
        assertThat(definitions.find("PE20546336_SIGNUP")).hasValueSatisfying(d -> {
            assertThat(d.propertyNames()).containsExactly("plan");
            assertThat(d.property("plan")).hasValueSatisfying(plan -> {
                assertThat(plan.type()).isEqualTo("enumeration");
                assertThat(plan.fieldType()).isEqualTo("select");
                assertThat(plan.options()).containsExactly(new ContactProperty.Option("Pro plan", "pro"));
                assertThat(plan.writable()).isTrue();
            });
        });
        assertThat(definitions.find("pe20546336_old_event")).as("archived").isEmpty();
        assertThat(definitions.find("pe20546336_unknown")).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void readsTheV3Path() throws Exception {
        enqueue(200, "{\"total\":0,\"results\":[]}");
        definitions(ApiVersion.V3).load();
        assertThat(take().getTarget()).isEqualTo("/events/v3/event-definitions?includeProperties=true");
    }

    @Test
    void legacyHasNoDefinitionsAndNeverAsks() throws Exception {
        EventDefinitions definitions = definitions(ApiVersion.LEGACY);
        definitions.load();
        assertThat(definitions.definitionsKnown()).isFalse();
        assertThat(definitions.find("pe20546336_purchase")).isEmpty();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void forbiddenMakesDefinitionsUnknownLoggedOnceWithoutStoppingStart() throws Exception {
        String forbidden = "{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes\","
                + "\"category\":\"MISSING_SCOPES\"}";
        enqueue(403, forbidden);
        enqueue(403, forbidden);
        EventDefinitions definitions = definitions(ApiVersion.V2026_03);
        definitions.load();
        assertThat(definitions.definitionsKnown()).isFalse();
        assertThat(definitions.find("pe20546336_purchase")).isEmpty();
        clock.advance(REFRESH);
        assertThat(definitions.definitionsKnown()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(logger.messages()).singleElement().satisfies(m -> assertThat(m)
                .contains("403 MISSING_SCOPES", "behavioral_events.event_definitions.read_write", "Contacts are not affected"));
    }

    @Test
    void definitionsBecomeKnownWhenTheScopeIsGrantedLater() throws Exception {
        enqueue(403, "{\"category\":\"MISSING_SCOPES\"}");
        EventDefinitions definitions = definitions(ApiVersion.V2026_03);
        definitions.load();
        enqueuePages();
        definitions.invalidate();
        assertThat(definitions.find("pe20546336_purchase")).isPresent();
        assertThat(definitions.definitionsKnown()).isTrue();
    }

    @Test
    void invalidTokenStopsStart() {
        enqueue(401, "{\"category\":\"INVALID_AUTHENTICATION\"}");
        assertThatThrownBy(() -> definitions(ApiVersion.V2026_03).load())
                .isInstanceOfSatisfying(DestinationException.class, e -> {
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains("access token is invalid");
                });
    }

    @Test
    void outagesAreRetriableAtStart() {
        enqueue(500, "{}");
        assertThatThrownBy(() -> definitions(ApiVersion.V2026_03).load())
                .isInstanceOfSatisfying(DestinationException.class, e -> assertThat(e.retriable()).isTrue());
    }

    @Test
    void refreshesAfterTheIntervalAndKeepsOldDefinitionsWhenThatFails() throws Exception {
        enqueuePages();
        EventDefinitions definitions = definitions(ApiVersion.V2026_03);
        definitions.load();
        clock.advance(REFRESH.minusSeconds(1));
        assertThat(definitions.find("pe20546336_purchase")).isPresent();
        assertThat(server.getRequestCount()).isEqualTo(2);
        enqueue(503, "{}");
        clock.advance(Duration.ofSeconds(1));
        assertThat(definitions.find("pe20546336_purchase")).as("kept after a failed refresh").isPresent();
        assertThat(definitions.definitionsKnown()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(logger.messages()).anySatisfy(m -> assertThat(m).contains("keeping the 2 known ones"));
    }

    @Test
    void repeatingCursorIsAnError() {
        String looping = "{\"total\":1,\"results\":[],\"paging\":{\"next\":{\"after\":\"same\"}}}";
        enqueue(200, looping);
        enqueue(200, looping);
        assertThatThrownBy(() -> definitions(ApiVersion.V2026_03).load())
                .isInstanceOfSatisfying(DestinationException.class, e -> assertThat(e.getMessage()).contains("repeats"));
    }
}
