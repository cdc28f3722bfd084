package dev.sluice.hubspot.http;

import java.util.Objects;
import java.util.Optional;

/**
 * One call to HubSpot, before auth is added.
 *
 * @param method        GET or POST
 * @param target        which root the path is relative to
 * @param pathAndQuery  e.g. {@code /crm/objects/2026-03/contacts/batch/upsert}; query values already URL-encoded
 * @param jsonBody      the JSON body for POST
 * @param authenticated false only for the legacy pixel, which takes no credentials
 * @param metered       whether the call counts against HubSpot's ten-secondly and daily limits, so
 *                      the token's rate limiter paces it; false for the custom behavioral event sends,
 *                      which HubSpot's OpenAPI marks exempt (paced all the same once a portal shows it
 *                      counts them, see {@link OkHttpHubSpotTransport}), and for the legacy pixel
 */
public record HubSpotRequest(String method, Target target, String pathAndQuery, Optional<String> jsonBody,
                             boolean authenticated, boolean metered) {

    public enum Target { API, TRACK }

    public HubSpotRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        Objects.requireNonNull(jsonBody, "jsonBody");
    }

    public static HubSpotRequest get(String pathAndQuery) {
        return new HubSpotRequest("GET", Target.API, pathAndQuery, Optional.empty(), true, true);
    }

    public static HubSpotRequest post(String pathAndQuery, String json) {
        return new HubSpotRequest("POST", Target.API, pathAndQuery, Optional.of(json), true, true);
    }

    /** A POST that HubSpot exempts from its rate limits (custom behavioral event sends). */
    public static HubSpotRequest postExemptFromLimits(String pathAndQuery, String json) {
        return new HubSpotRequest("POST", Target.API, pathAndQuery, Optional.of(json), true, false);
    }

    /** Paths and queries may hold emails: only method and target are shown. */
    @Override
    public String toString() {
        return method + " " + target + " " + pathAndQuery.replaceAll("\\?.*", "?...");
    }
}
