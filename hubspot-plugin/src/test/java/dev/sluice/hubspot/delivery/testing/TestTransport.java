package dev.sluice.hubspot.delivery.testing;

import dev.sluice.api.config.Secret;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.HubSpotSettings;
import dev.sluice.hubspot.http.HubSpotRequest;
import dev.sluice.hubspot.http.HubSpotResponse;
import dev.sluice.hubspot.http.HubSpotTransport;
import dev.sluice.hubspot.http.OkHttpHubSpotTransport;
import dev.sluice.hubspot.ratelimit.RateLimiter;
import dev.sluice.hubspot.ratelimit.Sleeper;
import okhttp3.HttpUrl;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The production {@link OkHttpHubSpotTransport} (auth, User-Agent, timeouts) pointed at test
 * servers, with a limiter far above what a test sends, so tests never wait for pacing.
 */
public final class TestTransport implements HubSpotTransport {

    private final OkHttpHubSpotTransport transport;

    public TestTransport(HttpUrl apiRoot, HttpUrl trackRoot, String token) {
        HubSpotSettings settings = new HubSpotSettings(Optional.of(Secret.of(token)), Optional.empty(), "20546336",
                ApiVersion.V2026_03, strip(apiRoot), strip(trackRoot), Duration.ofSeconds(5), Duration.ofSeconds(10),
                1_000, Map.of(), Duration.ofSeconds(60), 100);
        Clock clock = Clock.systemUTC();
        RateLimiter unpaced = new RateLimiter(10_000_000, RateLimiter.TEN_SECONDS, clock, Sleeper.SYSTEM,
                Duration.ofSeconds(1));
        this.transport = OkHttpHubSpotTransport.withLimiter(settings, unpaced, clock, System.getLogger("sluice.test"));
    }

    public TestTransport(HttpUrl root, String token) {
        this(root, root, token);
    }

    private static String strip(HttpUrl url) {
        return url.toString().replaceAll("/+$", "");
    }

    @Override
    public HubSpotResponse send(HubSpotRequest request) throws IOException, InterruptedException {
        return transport.send(request);
    }

    @Override
    public void close() {
        transport.close();
    }
}
