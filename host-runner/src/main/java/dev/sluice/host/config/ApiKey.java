package dev.sluice.host.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /**
     * What a stored event carries as {@code api_key}: the key's id, never a secret. A plain string
     * entry has no id of its own (its id is its secret), so it is named by a fingerprint instead:
     * {@code sha256:} and the first 12 hex digits of the SHA-256 of the secret.
     */
    public String storedId() {
        if (clientSecret.map(id::equals).orElse(false) || serverSecret.map(id::equals).orElse(false)) {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
                return "sha256:" + HexFormat.of().formatHex(hash, 0, 6);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
        return id;
    }

    @Override
    public String toString() {
        return "ApiKey{id=" + storedId() + ", client_secret=" + clientSecret.map(s -> "****").orElse("-")
                + ", server_secret=" + serverSecret.map(s -> "****").orElse("-") + ", origins=" + origins + "}";
    }
}
