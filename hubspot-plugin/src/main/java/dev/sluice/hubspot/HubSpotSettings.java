package dev.sluice.hubspot;

import dev.sluice.api.config.Secret;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HubSpot destination's config, typed. Built from a validated DestinationConfig by the factory.
 * {@link #toString()} masks the credentials.
 *
 * @param accessToken     bearer token (private app, service key or OAuth); empty when only apiKey is set
 * @param apiKey          deprecated hapikey; empty when not set
 * @param hubId           the portal id, digits only
 * @param apiVersion      which API generation to call
 * @param baseUrl         API root, default https://api.hubapi.com (no trailing slash)
 * @param trackBaseUrl    legacy pixel root, default https://track.hubspot.com (no trailing slash)
 * @param connectTimeout  TCP connect timeout
 * @param requestTimeout  whole-call timeout
 * @param requestsPer10s  pacing budget per token per rolling 10 s (default 100)
 * @param eventNames      explicit event_type -> HubSpot event name mapping (fully qualified or short)
 * @param catalogRefresh  how often the property catalog and event definitions are re-read (default 60 s)
 * @param batchSize       inputs per batch call, 1..100 (default 100)
 * @param parallelCalls   batch calls in flight at once for one delivery, 1..10 (default 8)
 */
public record HubSpotSettings(
        Optional<Secret> accessToken,
        Optional<Secret> apiKey,
        String hubId,
        ApiVersion apiVersion,
        String baseUrl,
        String trackBaseUrl,
        Duration connectTimeout,
        Duration requestTimeout,
        int requestsPer10s,
        Map<String, String> eventNames,
        Duration catalogRefresh,
        int batchSize,
        int parallelCalls) {

    /** One batch call at a time. */
    public HubSpotSettings(Optional<Secret> accessToken, Optional<Secret> apiKey, String hubId, ApiVersion apiVersion,
                           String baseUrl, String trackBaseUrl, Duration connectTimeout, Duration requestTimeout,
                           int requestsPer10s, Map<String, String> eventNames, Duration catalogRefresh, int batchSize) {
        this(accessToken, apiKey, hubId, apiVersion, baseUrl, trackBaseUrl, connectTimeout, requestTimeout,
                requestsPer10s, eventNames, catalogRefresh, batchSize, 1);
    }

    public HubSpotSettings {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(hubId, "hubId");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(trackBaseUrl, "trackBaseUrl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        eventNames = Map.copyOf(eventNames);
        Objects.requireNonNull(catalogRefresh, "catalogRefresh");
        if (accessToken.isEmpty() && apiKey.isEmpty()) {
            throw new IllegalArgumentException("'access_token' or 'api_key' must be provided");
        }
        if (requestsPer10s < 1) {
            throw new IllegalArgumentException("requests_per_10s must be at least 1, not " + requestsPer10s);
        }
        if (batchSize < 1 || batchSize > 100) {
            throw new IllegalArgumentException("batch_size must be between 1 and 100, not " + batchSize);
        }
        if (parallelCalls < 1 || parallelCalls > 10) {
            throw new IllegalArgumentException("parallel_calls must be between 1 and 10, not " + parallelCalls);
        }
        requirePositive(connectTimeout, "connect_timeout");
        requirePositive(requestTimeout, "request_timeout");
        requirePositive(catalogRefresh, "catalog_refresh");
    }

    private static void requirePositive(Duration d, String field) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(field + " must be longer than 0");
        }
    }

    @Override
    public String toString() {
        return "HubSpotSettings{hub_id=" + hubId + ", api_version=" + apiVersion.configValue()
                + ", access_token=" + accessToken.map(s -> "****").orElse("-")
                + ", api_key=" + apiKey.map(s -> "****").orElse("-")
                + ", base_url=" + baseUrl + ", track_base_url=" + trackBaseUrl
                + ", requests_per_10s=" + requestsPer10s + ", batch_size=" + batchSize + ", parallel_calls=" + parallelCalls + "}";
    }
}
