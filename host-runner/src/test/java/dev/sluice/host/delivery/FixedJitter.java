package dev.sluice.host.delivery;

import java.util.random.RandomGenerator;

/** A "random" source that always draws the same fraction, so backoff times are exact. */
final class FixedJitter implements RandomGenerator {

    private final double fraction;

    FixedJitter(double fraction) {
        this.fraction = fraction;
    }

    @Override
    public long nextLong() {
        return (long) (fraction * Long.MAX_VALUE);
    }

    @Override
    public double nextDouble() {
        return fraction;
    }
}
