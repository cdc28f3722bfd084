package dev.sluice.hubspot.http;

import dev.sluice.api.config.Secret;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.HubSpotSettings;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** HubSpotSettings for tests against local servers. */
public final class TestSettings {

    public static final String TOKEN = "pat-na1-0f0f0f0f-1111-2222-3333-444444444444";

    private TestSettings() {
    }

    public static HubSpotSettings bearer(String baseUrl, ApiVersion version) {
        return new HubSpotSettings(Optional.of(Secret.of(TOKEN)), Optional.empty(), "20546336", version, baseUrl,
                baseUrl, Duration.ofSeconds(2), Duration.ofSeconds(5), 100, Map.of(), Duration.ofSeconds(60), 100);
    }

    public static HubSpotSettings apiKey(String key, String baseUrl, String trackUrl) {
        return new HubSpotSettings(Optional.empty(), Optional.of(Secret.of(key)), "20546336", ApiVersion.LEGACY, baseUrl,
                trackUrl, Duration.ofSeconds(2), Duration.ofSeconds(5), 100, Map.of(), Duration.ofSeconds(60), 100);
    }

    public static HubSpotSettings withTimeouts(String baseUrl, Duration request) {
        return new HubSpotSettings(Optional.of(Secret.of(TOKEN)), Optional.empty(), "20546336", ApiVersion.V2026_03,
                baseUrl, baseUrl, Duration.ofSeconds(2), request, 100, Map.of(), Duration.ofSeconds(60), 100);
    }

    /** The server's root URL without the trailing slash. */
    public static String root(mockwebserver3.MockWebServer server) {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }
}
