package dev.sluice.hubspot.ratelimit;

import java.time.Duration;

/** Waits for a while; the seam that lets tests run the rate limiter without real time. */
@FunctionalInterface
public interface Sleeper {

    /** Real time: {@link Thread#sleep}. */
    Sleeper SYSTEM = duration -> Thread.sleep(Math.max(1, duration.toMillis()));

    void sleep(Duration duration) throws InterruptedException;
}
