package dev.sluice.hubspot.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * HubSpot's answer to one call.
 *
 * @param status  HTTP status
 * @param headers header names lower-cased
 * @param body    the body as text (empty for 204)
 */
public record HubSpotResponse(int status, Map<String, List<String>> headers, String body) {

    public HubSpotResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
