package dev.sluice.hubspot.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SharedRateLimitersTest {

    private static final String TOKEN = "pat-na1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));

    @Test
    void destinationsWithTheSameTokenShareOneLimiter() {
        int before = SharedRateLimiters.size();
        try (SharedRateLimiters.Lease a = SharedRateLimiters.lease(CredentialKey.of("bearer", TOKEN), 100, clock, clock);
             SharedRateLimiters.Lease b = SharedRateLimiters.lease(CredentialKey.of("bearer", TOKEN), 60, clock, clock);
             SharedRateLimiters.Lease other = SharedRateLimiters.lease(CredentialKey.of("bearer", TOKEN + "x"), 100, clock, clock)) {
            assertThat(a.limiter()).isSameAs(b.limiter());
            assertThat(other.limiter()).isNotSameAs(a.limiter());
            assertThat(a.limiter().effectiveMax()).as("the lowest budget wins").isEqualTo(60);
            assertThat(SharedRateLimiters.size()).isEqualTo(before + 2);
            a.close();
            a.close(); // idempotent: b still holds the shared limiter
            assertThat(SharedRateLimiters.size()).isEqualTo(before + 2);
        }
        assertThat(SharedRateLimiters.size()).isEqualTo(before);
    }

    @Test
    void sameTextAsBearerAndAsHapikeyAreDifferentCredentials() {
        assertThat(CredentialKey.of("bearer", TOKEN)).isEqualTo(CredentialKey.of("bearer", TOKEN))
                .hasSameHashCodeAs(CredentialKey.of("bearer", TOKEN))
                .isNotEqualTo(CredentialKey.of("hapikey", TOKEN));
    }

    @Test
    void credentialKeyNeverShowsTheToken() {
        assertThat(CredentialKey.of("bearer", TOKEN).toString()).doesNotContain(TOKEN).isEqualTo("CredentialKey{****}");
    }
}
