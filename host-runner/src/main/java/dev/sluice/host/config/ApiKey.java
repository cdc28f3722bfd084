package dev.sluice.host.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code api_keys:}. A plain string entry is a key whose id and client secret are
 * that string. Secrets are masked in {@link #toString()}.
 *
 * @param id           the key's id, matched by a destination's {@code only_tokens}
 * @param clientSecret the token the browser route ({@code /api/v1/event}) accepts
 * @param serverSecret the token the s2s route ({@code /api/v1/s2s/event}) accepts
 * @param origins      allowed {@code Origin} values for the browser route, {@code *} wildcards;
 *                     empty means any origin
 */
public record ApiKey(String id, Optional<String> clientSecret, Optional<String> serverSecret, List<String> origins) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(serverSecret, "serverSecret");
        origins = List.copyOf(origins);
    }

    @Override
    public String toString() {
        return "ApiKey{id=" + id + ", client_secret=" + clientSecret.map(s -> "****").orElse("-")
                + ", server_secret=" + serverSecret.map(s -> "****").orElse("-") + ", origins=" + origins + "}";
    }
}
