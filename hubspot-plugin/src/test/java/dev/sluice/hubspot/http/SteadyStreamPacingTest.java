package dev.sluice.hubspot.http;

import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.ratelimit.MutableClock;
import dev.sluice.hubspot.ratelimit.RateLimiter;
import mockwebserver3.Dispatcher;
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
import java.util.ArrayDeque;
import java.util.Deque;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that enforces HubSpot's rolling ten-second limit on the shared fake clock answers 429
 * to a client without pacing, and never to one paced by the limiter.
 */
class SteadyStreamPacingTest {

    private static final int LIMIT = 10;
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    private final MockWebServer server = new MockWebServer();
    private final RecordingLogger logger = new RecordingLogger();
    private int tooMany;

    /** Answers 429 when LIMIT calls already arrived in the last WINDOW; each call takes 30 ms. */
    private final class RollingWindowServer extends Dispatcher {
        private final Deque<Instant> arrivals = new ArrayDeque<>();

        @Override
        public synchronized MockResponse dispatch(RecordedRequest request) {
            Instant now = clock.instant();
            while (!arrivals.isEmpty() && !arrivals.peekFirst().plus(WINDOW).isAfter(now)) {
                arrivals.removeFirst();
            }
            clock.advance(Duration.ofMillis(30));
            if (arrivals.size() >= LIMIT) {
                tooMany++;
                return new MockResponse.Builder().code(429)
                        .body("{\"status\":\"error\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}").build();
            }
            arrivals.addLast(now);
            return new MockResponse.Builder().code(204)
                    .addHeader("X-HubSpot-RateLimit-Max", LIMIT)
                    .addHeader("X-HubSpot-RateLimit-Remaining", LIMIT - arrivals.size())
                    .addHeader("X-HubSpot-RateLimit-Interval-Milliseconds", WINDOW.toMillis()).build();
        }
    }

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(new RollingWindowServer());
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int send(RateLimiter limiter, int calls) throws Exception {
        int ok = 0;
        try (OkHttpHubSpotTransport transport = OkHttpHubSpotTransport.withLimiter(
                TestSettings.bearer(TestSettings.root(server), ApiVersion.V2026_03), limiter, clock, logger)) {
            for (int i = 0; i < calls; i++) {
                if (transport.send(HubSpotRequest.post("/events/2026-03/send/batch", "{\"inputs\":[]}")).status() == 204) {
                    ok++;
                }
            }
        }
        return ok;
    }

    @Test
    void pacedStreamNeverMeetsA429() throws Exception {
        Instant start = clock.instant();
        assertThat(send(RateLimiter.per10Seconds(LIMIT, clock, clock), 55)).isEqualTo(55);
        assertThat(tooMany).isZero();
        Duration took = Duration.between(start, clock.instant());
        // 55 calls at 10 per window need 5 full windows; pacing must not waste more than one more
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(50)).isLessThan(Duration.ofSeconds(62));
    }

    @Test
    void budgetAboveThePortalsLimitIsCorrectedByTheMaxHeader() throws Exception {
        // configured far too high: the first answer's X-HubSpot-RateLimit-Max brings it down
        assertThat(send(RateLimiter.per10Seconds(100, clock, clock), 35)).isEqualTo(35);
        assertThat(tooMany).isZero();
    }

    @Test
    void withoutPacingTheServerAnswers429() throws Exception {
        okhttp3.OkHttpClient raw = new okhttp3.OkHttpClient();
        int ok = 0;
        for (int i = 0; i < 20; i++) {
            try (okhttp3.Response response = raw.newCall(new okhttp3.Request.Builder()
                    .url(server.url("/events/2026-03/send/batch"))
                    .post(okhttp3.RequestBody.create("{}", okhttp3.MediaType.get("application/json"))).build()).execute()) {
                if (response.code() == 204) {
                    ok++;
                }
            }
        }
        raw.connectionPool().evictAll();
        assertThat(ok).isEqualTo(LIMIT);
        assertThat(tooMany).isEqualTo(20 - LIMIT);
    }
}
