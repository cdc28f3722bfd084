package dev.sluice.hubspot.credential;

import dev.sluice.hubspot.ratelimit.MutableClock;
import dev.sluice.hubspot.ratelimit.RateLimiter;
import dev.sluice.hubspot.ratelimit.SharedRateLimiters;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SharedPerCredentialTest {

    private static final String TOKEN = "pat-na1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));

    @Test
    void leasesAreCountedAndTheLastCloseDropsTheThingOnce() {
        List<String> dropped = new ArrayList<>();
        SharedPerCredential<StringBuilder> shared = new SharedPerCredential<>(sb -> dropped.add(sb.toString()));
        CredentialKey key = CredentialKey.of("bearer", TOKEN);
        SharedPerCredential.Lease<StringBuilder> a = shared.lease(key, () -> new StringBuilder("made"), sb -> sb.append('+'));
        SharedPerCredential.Lease<StringBuilder> b = shared.lease(key, () -> new StringBuilder("again"), sb -> sb.append('+'));
        assertThat(a.value()).isSameAs(b.value()).hasToString("made++");
        a.close();
        a.close(); // idempotent: b still holds it
        assertThat(shared.size()).isEqualTo(1);
        assertThat(dropped).isEmpty();
        b.close();
        assertThat(shared.size()).isZero();
        assertThat(dropped).containsExactly("made++");
        // a new lease after the last close makes a new one
        try (SharedPerCredential.Lease<StringBuilder> c = shared.lease(key, () -> new StringBuilder("new"), sb -> { })) {
            assertThat(c.value()).hasToString("new");
        }
    }

    @Test
    void destinationsWithTheSameTokenShareOneLimiter() {
        int before = SharedRateLimiters.size();
        try (SharedPerCredential.Lease<RateLimiter> a = SharedRateLimiters.lease(CredentialKey.of("bearer", TOKEN), 100, clock, clock);
             SharedPerCredential.Lease<RateLimiter> b = SharedRateLimiters.lease(CredentialKey.of("bearer", TOKEN), 60, clock, clock);
             SharedPerCredential.Lease<RateLimiter> other = SharedRateLimiters.lease(CredentialKey.of("bearer", TOKEN + "x"), 100, clock, clock)) {
            assertThat(a.value()).isSameAs(b.value());
            assertThat(other.value()).isNotSameAs(a.value());
            assertThat(a.value().effectiveMax()).as("the lowest budget wins").isEqualTo(60);
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
