package dev.sluice.hubspot.http;

import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationMetrics;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.HubSpotDestinationFactory;
import dev.sluice.hubspot.HubSpotSettings;
import dev.sluice.hubspot.ratelimit.MutableClock;
import dev.sluice.hubspot.ratelimit.RateLimitedException;
import dev.sluice.hubspot.ratelimit.RateLimiter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.sluice.hubspot.http.TestSettings.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OkHttpHubSpotTransportTest {

    private static final Instant START = Instant.parse("2026-03-02T10:15:30Z");

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer track = new MockWebServer();
    private final MutableClock clock = new MutableClock(START);
    private final RecordingLogger logger = new RecordingLogger();

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        track.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
        track.close();
    }

    private OkHttpHubSpotTransport transport(HubSpotSettings settings) {
        return OkHttpHubSpotTransport.withLimiter(settings, RateLimiter.per10Seconds(100, clock, clock), clock, logger);
    }

    private RecordedRequest take(MockWebServer s) throws InterruptedException {
        RecordedRequest request = s.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("request reached the server").isNotNull();
        return request;
    }

    @Test
    void sendsBearerTokenUserAgentAndJsonBody() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"status\":\"COMPLETE\",\"results\":[]}").build());
        try (OkHttpHubSpotTransport transport = transport(TestSettings.bearer(TestSettings.root(server), ApiVersion.V2026_03))) {
            HubSpotResponse response = transport.send(HubSpotRequest.post("/crm/objects/2026-03/contacts/batch/upsert",
                    "{\"inputs\":[]}"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"status\":\"COMPLETE\",\"results\":[]}");
            assertThat(response.header("content-type")).contains("application/json");
        }
        RecordedRequest request = take(server);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/crm/objects/2026-03/contacts/batch/upsert");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.getHeaders().get("User-Agent")).isEqualTo(OkHttpHubSpotTransport.USER_AGENT)
                .matches("Sluice-HubSpot/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(\\+https://github\\.com/sluice\\)");
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(request.getBody().string(StandardCharsets.UTF_8)).isEqualTo("{\"inputs\":[]}");
    }

    @Test
    void getCarriesNoBody() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{\"results\":[]}").build());
        try (OkHttpHubSpotTransport transport = transport(TestSettings.bearer(TestSettings.root(server), ApiVersion.V3))) {
            transport.send(HubSpotRequest.get("/crm/v3/properties/contacts"));
        }
        RecordedRequest request = take(server);
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/crm/v3/properties/contacts");
        assertThat(request.getBodySize()).isZero();
    }

    @Test
    void apiKeyAloneIsSentAsUrlEncodedHapikeyWithoutAuthorization() throws Exception {
        String key = "k3y with+plus/slash=eq&amp";
        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        try (OkHttpHubSpotTransport transport = transport(TestSettings.apiKey(key, TestSettings.root(server),
                TestSettings.root(track)))) {
            transport.send(HubSpotRequest.get("/properties/v1/contacts/properties"));
            transport.send(HubSpotRequest.get("/events/v3/event-definitions?includeProperties=true"));
        }
        RecordedRequest first = take(server);
        assertThat(first.getTarget()).isEqualTo("/properties/v1/contacts/properties?hapikey="
                + "k3y%20with%2Bplus%2Fslash%3Deq%26amp");
        assertThat(first.getUrl().queryParameter("hapikey")).isEqualTo(key);
        assertThat(first.getHeaders().get("Authorization")).isNull();
        RecordedRequest second = take(server);
        assertThat(second.getUrl().queryParameter("includeProperties")).isEqualTo("true");
        assertThat(second.getUrl().queryParameter("hapikey")).isEqualTo(key);
        assertThat(logger.entries()).filteredOn(e -> e.level() == System.Logger.Level.WARNING).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("api_key is deprecated", "2022-11-30", "access_token"));
        assertThat(logger.all()).doesNotContain(key).doesNotContain("k3y%20with");
    }

    @Test
    void accessTokenWinsOverApiKey() throws Exception {
        HubSpotSettings both = new HubSpotSettings(Optional.of(dev.sluice.api.config.Secret.of(TOKEN)),
                Optional.of(dev.sluice.api.config.Secret.of("old-key")), "1", ApiVersion.V3, TestSettings.root(server),
                TestSettings.root(server), Duration.ofSeconds(2), Duration.ofSeconds(5), 100, Map.of(),
                Duration.ofSeconds(60), 100);
        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        try (OkHttpHubSpotTransport transport = transport(both)) {
            transport.send(HubSpotRequest.get("/crm/v3/properties/contacts"));
        }
        RecordedRequest request = take(server);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.getUrl().queryParameter("hapikey")).isNull();
        assertThat(logger.messages()).anySatisfy(m -> assertThat(m).contains("api_key is deprecated and ignored"));
    }

    @Test
    void legacyPixelCarriesNoCredentialsAndIsNotPaced() throws Exception {
        track.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "image/gif").body("GIF89a").build());
        track.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "image/gif").body("GIF89a").build());
        HubSpotRequest pixel = new HubSpotRequest("GET", HubSpotRequest.Target.TRACK,
                "/v1/event?_a=20546336&_n=signup&email=a%40b.com", Optional.empty(), false, false);
        RateLimiter oneCallPer10s = RateLimiter.per10Seconds(1, clock, clock);
        try (OkHttpHubSpotTransport transport = OkHttpHubSpotTransport.withLimiter(
                TestSettings.apiKey("secret-key", TestSettings.root(server), TestSettings.root(track)), oneCallPer10s,
                clock, logger)) {
            assertThat(transport.send(pixel).status()).isEqualTo(200);
            assertThat(transport.send(pixel).status()).isEqualTo(200);
        }
        assertThat(clock.sleeps()).as("pixel calls are not paced").isZero();
        RecordedRequest request = take(track);
        assertThat(request.getTarget()).isEqualTo("/v1/event?_a=20546336&_n=signup&email=a%40b.com");
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertThat(request.getUrl().queryParameter("hapikey")).isNull();
        assertThat(request.getHeaders().get("User-Agent")).isEqualTo(OkHttpHubSpotTransport.USER_AGENT);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void reportsEveryCallsStatusClassAndTheTimeWaitedForTheLimiter() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        server.enqueue(new MockResponse.Builder().code(503).body("{}").build());
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

            @Override
            public void rateLimitWait(Duration waited) {
                reported.add("waited " + waited.toSeconds() + "s");
            }
        };
        HubSpotRequest read = new HubSpotRequest("GET", HubSpotRequest.Target.API, "/crm/v3/properties/contacts",
                Optional.empty(), true, true);
        try (OkHttpHubSpotTransport transport = OkHttpHubSpotTransport.withLimiter(
                TestSettings.bearer(TestSettings.root(server), ApiVersion.V2026_03),
                RateLimiter.per10Seconds(1, clock, clock), clock, logger, metrics)) {
            transport.send(read);
            transport.send(read);
            server.close();
            assertThatThrownBy(() -> transport.send(read)).isInstanceOf(CallFailedException.class);
        }
        // One call per 10 s: the second and third calls each wait for the window (on the limiter's clock).
        assertThat(reported).containsExactly("answered 200", "waited 10s", "answered 503", "waited 10s", "no answer");
    }

    @Test
    void eventSendsExemptFromHubSpotLimitsAreNotHeldByAPausedLimiter() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        limiter.pauseUntil(START.plus(Duration.ofHours(1)));   // e.g. after a DAILY 429 on contacts
        try (OkHttpHubSpotTransport transport = OkHttpHubSpotTransport.withLimiter(
                TestSettings.bearer(TestSettings.root(server), ApiVersion.V2026_03), limiter, clock, logger)) {
            HubSpotResponse response = transport.send(HubSpotRequest.postExemptFromLimits(
                    "/events/2026-03/send/batch", "{\"inputs\":[]}"));
            assertThat(response.status()).isEqualTo(204);
        }
        assertThat(clock.sleeps()).as("an exempt call waits for no permit").isZero();
        assertThat(take(server).getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void eventSendsThatThePortalCountsArePacedFromTheFirstAnswerThatShowsIt() throws Exception {
        // The portal answers the exempt send with rate-limit headers: it counts them.
        server.enqueue(new MockResponse.Builder().code(204)
                .addHeader("X-HubSpot-RateLimit-Max", "2")
                .addHeader("X-HubSpot-RateLimit-Remaining", "1")
                .addHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000").build());
        server.enqueue(new MockResponse.Builder().code(204).build());
        server.enqueue(new MockResponse.Builder().code(204).build());
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        HubSpotRequest send = HubSpotRequest.postExemptFromLimits("/events/2026-03/send/batch", "{\"inputs\":[]}");
        try (OkHttpHubSpotTransport transport = OkHttpHubSpotTransport.withLimiter(
                TestSettings.bearer(TestSettings.root(server), ApiVersion.V2026_03), limiter, clock, logger)) {
            transport.send(send);
            assertThat(limiter.exemptCallsCounted()).isTrue();
            assertThat(limiter.effectiveMax()).isEqualTo(2);
            transport.send(send);
            transport.send(send);
        }
        // HubSpot had counted the first send (not one of our paced calls); the second takes the other
        // slot at once, the third waits until the first leaves the window
        assertThat(clock.slept()).isEqualTo(Duration.ofSeconds(10));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void a429OnAnEventSendPausesTheLimiterAndPacesLaterSends() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429)
                .body("{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
                        + "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}").build());
        server.enqueue(new MockResponse.Builder().code(204).build());
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        HubSpotRequest send = HubSpotRequest.postExemptFromLimits("/events/2026-03/send/batch", "{\"inputs\":[]}");
        try (OkHttpHubSpotTransport transport = OkHttpHubSpotTransport.withLimiter(
                TestSettings.bearer(TestSettings.root(server), ApiVersion.V2026_03), limiter, clock, logger)) {
            assertThat(transport.send(send).status()).isEqualTo(429);
            assertThat(limiter.exemptCallsCounted()).isTrue();
            assertThat(limiter.pausedUntil()).contains(START.plusSeconds(10));
            assertThat(transport.send(send).status()).isEqualTo(204);
        }
        assertThat(clock.slept()).as("the second send waited for the pause").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void reusesOneConnectionForSuccessiveCalls() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(204).build());
        }
        try (OkHttpHubSpotTransport transport = transport(TestSettings.bearer(TestSettings.root(server), ApiVersion.V2026_03))) {
            for (int i = 0; i < 3; i++) {
                assertThat(transport.send(HubSpotRequest.post("/events/2026-03/send/batch", "{\"inputs\":[]}")).status())
                        .isEqualTo(204);
            }
        }
        assertThat(take(server).getConnectionIndex()).isZero();
        RecordedRequest second = take(server);
        RecordedRequest third = take(server);
        assertThat(second.getConnectionIndex()).isZero();
        assertThat(third.getConnectionIndex()).isZero();
        assertThat(third.getExchangeIndex()).isEqualTo(2);
    }

    @Test
    void rateLimitHeadersTightenTheLimiter() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{}")
                .addHeader("X-HubSpot-RateLimit-Max", "5")
                .addHeader("X-HubSpot-RateLimit-Remaining", "0")
                .addHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000").build());
        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        try (OkHttpHubSpotTransport transport = transport(TestSettings.bearer(TestSettings.root(server), ApiVersion.V3))) {
            transport.send(HubSpotRequest.get("/crm/v3/properties/contacts"));
            assertThat(transport.limiter().effectiveMax()).isEqualTo(5);
            transport.send(HubSpotRequest.get("/crm/v3/properties/contacts"));
        }
        assertThat(clock.slept()).as("Remaining 0 waits the window out").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void tenSecondly429PausesTheLimiterForTheWindow() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429)
                .body("{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
                        + "\"errorType\":\"RATE_LIMIT\",\"correlationId\":\"c1\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}")
                .build());
        try (OkHttpHubSpotTransport transport = transport(TestSettings.bearer(TestSettings.root(server), ApiVersion.V3))) {
            assertThat(transport.send(HubSpotRequest.get("/crm/v3/properties/contacts")).status()).isEqualTo(429);
            assertThat(transport.limiter().pausedUntil()).contains(START.plusSeconds(10));
        }
    }

    @Test
    void daily429StopsCallsUntilTheNextFullHourWithoutBlocking() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429)
                .body("{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
                        + "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}").build());
        try (OkHttpHubSpotTransport transport = transport(TestSettings.bearer(TestSettings.root(server), ApiVersion.V3))) {
            transport.send(HubSpotRequest.get("/crm/v3/properties/contacts"));
            assertThatThrownBy(() -> transport.send(HubSpotRequest.get("/crm/v3/properties/contacts")))
                    .isInstanceOfSatisfying(RateLimitedException.class,
                            e -> assertThat(e.notBefore()).isEqualTo(Instant.parse("2026-03-02T11:00:00Z")));
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(clock.sleeps()).isZero();
    }

    @Test
    void dailyRemainingZeroStopsCallsUntilTheNextFullHour() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{}")
                .addHeader("X-HubSpot-RateLimit-Daily", "250000")
                .addHeader("X-HubSpot-RateLimit-Daily-Remaining", "0").build());
        try (OkHttpHubSpotTransport transport = transport(TestSettings.bearer(TestSettings.root(server), ApiVersion.V3))) {
            transport.send(HubSpotRequest.get("/crm/v3/properties/contacts"));
            assertThat(transport.limiter().pausedUntil()).contains(Instant.parse("2026-03-02T11:00:00Z"));
        }
    }

    @Test
    void refusedConnectionIsAConnectionFailureWithoutSecrets() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        String key = "my-secret-api-key";
        try (OkHttpHubSpotTransport transport = transport(TestSettings.apiKey(key, "http://127.0.0.1:" + closedPort,
                "http://127.0.0.1:" + closedPort))) {
            assertThatThrownBy(() -> transport.send(HubSpotRequest.get("/contacts/v1/contact/createOrUpdate/email/a@b.com/")))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.kind()).isEqualTo(CallFailedException.Kind.CONNECTION);
                        assertThat(e.getMessage()).contains("GET API /contacts/v1/contact/createOrUpdate/email/{email}/")
                                .doesNotContain(key).doesNotContain("a@b.com");
                        assertThat(e.getCause()).isNull();
                    });
        }
    }

    @Test
    void slowAnswerIsATimeoutWithoutSecrets() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{}").headersDelay(3, TimeUnit.SECONDS).build());
        try (OkHttpHubSpotTransport transport = transport(TestSettings.withTimeouts(TestSettings.root(server),
                Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> transport.send(HubSpotRequest.get("/crm/v3/properties/contacts")))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.kind()).isEqualTo(CallFailedException.Kind.TIMEOUT);
                        assertThat(e.getMessage()).doesNotContain(TOKEN);
                    });
        }
    }

    @Test
    void masksCredentialsInExceptionMessagesThatQuoteTheUrl() {
        String key = "secret key/1";
        try (OkHttpHubSpotTransport transport = transport(TestSettings.apiKey(key, TestSettings.root(server),
                TestSettings.root(track)))) {
            IOException fromOkHttp = new IOException("unexpected end of stream on http://127.0.0.1/x?hapikey="
                    + OkHttpHubSpotTransport.encode(key) + " and raw " + key);
            CallFailedException sanitised = transport.sanitised(fromOkHttp, HubSpotRequest.get("/x"));
            assertThat(sanitised.getMessage()).doesNotContain(key).doesNotContain(OkHttpHubSpotTransport.encode(key))
                    .contains("hapikey=****").contains("IOException calling HubSpot GET API /x");
        }
    }

    @Test
    void masksTheTokenIfHubSpotEchoesIt() throws Exception {
        server.enqueue(new MockResponse.Builder().code(401).body("{\"message\":\"token " + TOKEN + " is invalid\"}").build());
        try (OkHttpHubSpotTransport transport = transport(TestSettings.bearer(TestSettings.root(server), ApiVersion.V3))) {
            HubSpotResponse response = transport.send(HubSpotRequest.get("/crm/v3/properties/contacts"));
            assertThat(response.body()).isEqualTo("{\"message\":\"token **** is invalid\"}");
            assertThat(transport.toString()).doesNotContain(TOKEN);
        }
    }

    @Test
    void destinationsWithTheSameTokenShareTheLimiter() {
        HubSpotSettings settings = HubSpotDestinationFactory.settings(DestinationConfig.validate(
                new HubSpotDestinationFactory().configFields(),
                Map.of("access_token", TOKEN, "hub_id", "1", "base_url", TestSettings.root(server))));
        DestinationContext a = DestinationContext.of("a", "stream", DestinationConfig.validate(
                new HubSpotDestinationFactory().configFields(), Map.of("access_token", TOKEN, "hub_id", "1")), clock);
        try (OkHttpHubSpotTransport first = OkHttpHubSpotTransport.create(settings, a);
             OkHttpHubSpotTransport second = OkHttpHubSpotTransport.create(settings, a)) {
            assertThat(first.limiter()).isSameAs(second.limiter());
        }
    }

    @Test
    void refusesCallsAfterClose() {
        OkHttpHubSpotTransport transport = transport(TestSettings.bearer(TestSettings.root(server), ApiVersion.V3));
        transport.close();
        transport.close();
        assertThatThrownBy(() -> transport.send(HubSpotRequest.get("/x"))).isInstanceOf(IllegalStateException.class);
    }
}
