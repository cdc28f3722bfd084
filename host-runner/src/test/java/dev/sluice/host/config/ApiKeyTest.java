package dev.sluice.host.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyTest {

    @Test
    void storedIdIsTheKeysIdWhenItHasOne() {
        ApiKey key = new ApiKey("web", Optional.of("js-secret"), Optional.of("s2s-secret"), List.of());
        assertThat(key.storedId()).isEqualTo("web");
    }

    @Test
    void aPlainStringKeyIsStoredAsAFingerprintNeverAsTheSecret() {
        ApiKey plain = new ApiKey("plain-secret-token", Optional.of("plain-secret-token"), Optional.empty(), List.of());
        ApiKey other = new ApiKey("other-token", Optional.of("other-token"), Optional.empty(), List.of());

        assertThat(plain.storedId()).startsWith("sha256:").hasSize("sha256:".length() + 12)
                .doesNotContain("plain-secret-token");
        assertThat(plain.storedId()).isEqualTo(plain.storedId()).isNotEqualTo(other.storedId());
        assertThat(plain.toString()).doesNotContain("plain-secret-token");
    }

    @Test
    void anIdEqualToTheServerSecretIsNotStoredEither() {
        ApiKey key = new ApiKey("s2s-secret", Optional.empty(), Optional.of("s2s-secret"), List.of());
        assertThat(key.storedId()).startsWith("sha256:");
    }
}
