package dev.sluice.host.ingest;

import dev.sluice.host.config.ApiKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks tokens up among the configured api keys: client secrets for the client route, server
 * secrets for the s2s route. Also knows each key's allowed origins. Immutable.
 */
final class ApiKeyTokens {

    /** A key that matched a token, with its origin patterns. */
    record Match(ApiKey key, List<OriginPattern> origins) {
    }

    private final Map<String, Match> clientSecrets = new HashMap<>();
    private final Map<String, Match> serverSecrets = new HashMap<>();
    private final List<OriginPattern> anyClientOrigins;
    private final boolean anyClientKeyAllowsEveryOrigin;

    public ApiKeyTokens(List<ApiKey> keys) {
        List<OriginPattern> all = new ArrayList<>();
        boolean everyOrigin = false;
        for (ApiKey key : keys) {
            List<OriginPattern> origins = key.origins().stream().map(OriginPattern::of).toList();
            Match match = new Match(key, origins);
            key.clientSecret().filter(s -> !s.isEmpty()).ifPresent(s -> clientSecrets.putIfAbsent(s, match));
            key.serverSecret().filter(s -> !s.isEmpty()).ifPresent(s -> serverSecrets.putIfAbsent(s, match));
            if (key.clientSecret().isPresent()) {
                all.addAll(origins);
                everyOrigin |= origins.isEmpty();
            }
        }
        this.anyClientOrigins = List.copyOf(all);
        this.anyClientKeyAllowsEveryOrigin = everyOrigin;
    }

    /** The key whose secret of the route's kind this token is. */
    Optional<Match> find(IngestRoute route, String token) {
        return Optional.ofNullable((route == IngestRoute.CLIENT ? clientSecrets : serverSecrets).get(token));
    }

    /** Whether this token is a secret of the other kind than the route accepts. */
    boolean isOtherKind(IngestRoute route, String token) {
        return (route == IngestRoute.CLIENT ? serverSecrets : clientSecrets).containsKey(token);
    }

    /**
     * Whether an origin may call the client route: by the key's origins when the key is known,
     * else (a preflight without a token) when any client key allows it.
     */
    boolean allowsOrigin(Optional<Match> key, String origin) {
        if (key.isPresent()) {
            return OriginPattern.anyMatches(key.get().origins(), origin);
        }
        return anyClientKeyAllowsEveryOrigin || (!anyClientOrigins.isEmpty()
                && OriginPattern.anyMatches(anyClientOrigins, origin));
    }
}
