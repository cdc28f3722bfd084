package dev.sluice.host.health;

import dev.sluice.host.config.ApiKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may read the stats: a request whose token is any api key's server secret (the tokens the
 * s2s route takes) or {@code server.stats_token}. Client secrets are not enough: they are public,
 * in every page that runs the tracking script. Tokens are compared in constant time.
 */
public final class StatsAccess {

    private final List<byte[]> tokens;

    /**
     * @param apiKeys    the configured api keys; their server secrets are accepted
     * @param statsToken {@code server.stats_token}, accepted too when set
     */
    public StatsAccess(List<ApiKey> apiKeys, Optional<String> statsToken) {
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(statsToken, "statsToken");
        List<byte[]> accepted = new ArrayList<>();
        apiKeys.forEach(k -> k.serverSecret().filter(s -> !s.isEmpty()).ifPresent(s -> accepted.add(bytes(s))));
        statsToken.filter(s -> !s.isEmpty()).ifPresent(s -> accepted.add(bytes(s)));
        this.tokens = List.copyOf(accepted);
    }

    /** Whether this token may read the stats. */
    public boolean allows(String token) {
        Objects.requireNonNull(token, "token");
        byte[] given = bytes(token);
        boolean allowed = false;
        for (byte[] accepted : tokens) {
            allowed |= MessageDigest.isEqual(accepted, given);
        }
        return allowed;
    }

    /** False when no token at all is configured that could read the stats. */
    public boolean anyConfigured() {
        return !tokens.isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "StatsAccess{" + tokens.size() + " tokens}";
    }
}
