package dev.sluice.hubspot.ratelimit;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@link RateLimiter} per credential, shared by every destination of this plugin's class loader
 * that uses it: HubSpot's ten-secondly limit is per token, not per destination. Leases are counted
 * and the limiter is dropped when the last destination using it closes.
 *
 * <p>The first lease creates the limiter with its clock and sleeper; a later lease with a smaller
 * budget {@linkplain RateLimiter#tighten tightens} the shared one (the lowest budget wins).
 */
public final class SharedRateLimiters {

    private static final Map<CredentialKey, Entry> LIMITERS = new HashMap<>();

    private SharedRateLimiters() {
    }

    private static final class Entry {
        final RateLimiter limiter;
        int leases;

        Entry(RateLimiter limiter) {
            this.limiter = limiter;
        }
    }

    /** Takes a lease on the limiter for {@code key}, creating it on first use. */
    public static Lease lease(CredentialKey key, int maxPer10s, Clock clock, Sleeper sleeper) {
        Objects.requireNonNull(key, "key");
        synchronized (LIMITERS) {
            Entry entry = LIMITERS.computeIfAbsent(key,
                    k -> new Entry(RateLimiter.per10Seconds(maxPer10s, clock, sleeper)));
            entry.limiter.tighten(maxPer10s);
            entry.leases++;
            return new Lease(key, entry.limiter);
        }
    }

    /** How many credentials have a limiter now (for tests and diagnostics). */
    public static int size() {
        synchronized (LIMITERS) {
            return LIMITERS.size();
        }
    }

    /** A destination's use of a shared limiter; close it when the destination closes. */
    public static final class Lease implements AutoCloseable {
        private final CredentialKey key;
        private final RateLimiter limiter;
        private boolean closed;

        private Lease(CredentialKey key, RateLimiter limiter) {
            this.key = key;
            this.limiter = limiter;
        }

        public RateLimiter limiter() {
            return limiter;
        }

        @Override
        public void close() {
            synchronized (LIMITERS) {
                if (closed) {
                    return;
                }
                closed = true;
                Entry entry = LIMITERS.get(key);
                if (entry != null && entry.limiter == limiter && --entry.leases <= 0) {
                    LIMITERS.remove(key);
                }
            }
        }
    }
}
