package dev.sluice.hubspot.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand; also a {@link Sleeper} that "sleeps" by moving it. */
public final class MutableClock extends Clock implements Sleeper {

    private Instant now;
    private Duration slept = Duration.ZERO;
    private int sleeps;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    public synchronized void set(Instant instant) {
        now = instant;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new AssertionError("asked to sleep " + duration);
        }
        sleeps++;
        slept = slept.plus(duration);
        now = now.plus(duration);
    }

    public synchronized Duration slept() {
        return slept;
    }

    public synchronized int sleeps() {
        return sleeps;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
