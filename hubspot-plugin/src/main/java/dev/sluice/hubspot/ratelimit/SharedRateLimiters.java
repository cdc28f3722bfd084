package dev.sluice.hubspot.ratelimit;

import dev.sluice.hubspot.credential.CredentialKey;
import dev.sluice.hubspot.credential.SharedPerCredential;

import java.time.Clock;

/**
 * One {@link RateLimiter} per credential, shared by every destination of this plugin's class loader
 * that uses it: HubSpot's ten-secondly limit is per token, not per destination. Leases are counted
 * ({@link SharedPerCredential}) and the limiter is dropped when the last destination using it closes.
 *
 * <p>The first lease creates the limiter with its clock and sleeper; a later lease with a smaller
 * budget {@linkplain RateLimiter#tighten tightens} the shared one (the lowest budget wins).
 */
public final class SharedRateLimiters {

    private static final SharedPerCredential<RateLimiter> LIMITERS = new SharedPerCredential<>(limiter -> { });

    private SharedRateLimiters() {
    }

    /** Takes a lease on the limiter for {@code key}, creating it on first use; close it with the destination. */
    public static SharedPerCredential.Lease<RateLimiter> lease(CredentialKey key, int maxPer10s, Clock clock,
                                                              Sleeper sleeper) {
        return LIMITERS.lease(key, () -> RateLimiter.per10Seconds(maxPer10s, clock, sleeper),
                limiter -> limiter.tighten(maxPer10s));
    }

    /** How many credentials have a limiter now (for tests and diagnostics). */
    public static int size() {
        return LIMITERS.size();
    }
}
