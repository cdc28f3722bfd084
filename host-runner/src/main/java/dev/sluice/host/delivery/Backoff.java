package dev.sluice.host.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * The retry delay: exponential from {@code initial}, doubling per attempt, capped at {@code max},
 * with jitter. The delay after attempt {@code n} is drawn uniformly from
 * {@code [initial, min(max, initial * 2^(n-1))]} ("full jitter" with a floor of {@code initial},
 * so a retry never comes back at once). The caller draws the random fraction once per batch, so
 * the events of a failed batch stay together and come back as one batch.
 */
record Backoff(Duration initial, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max " + max + " is below backoff initial " + initial);
        }
    }

    /** The upper bound of the delay after {@code attempts} attempts (at least 1). */
    public Duration ceiling(int attempts) {
        int doublings = Math.max(0, attempts - 1);
        long initialMillis = initial.toMillis();
        long maxMillis = max.toMillis();
        if (doublings >= 62 || initialMillis > (maxMillis >> doublings)) {
            return max;
        }
        return Duration.ofMillis(Math.min(maxMillis, initialMillis << doublings));
    }

    /**
     * The delay after {@code attempts} attempts for a random fraction {@code u} in {@code [0, 1)}.
     */
    public Duration delay(int attempts, double u) {
        if (u < 0 || u >= 1) {
            throw new IllegalArgumentException("u must be in [0, 1), got " + u);
        }
        long low = initial.toMillis();
        long high = ceiling(attempts).toMillis();
        return Duration.ofMillis(low + (long) (u * (high - low)));
    }
}
