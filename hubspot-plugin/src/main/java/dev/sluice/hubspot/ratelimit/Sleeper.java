package dev.sluice.hubspot.ratelimit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for a while; the seam that lets tests run the rate limiter without real time. */
@FunctionalInterface
public interface Sleeper {

    /**
     * Real time, to the tenth of a millisecond rather than the millisecond ({@link LockSupport#parkNanos}):
     * the limiter's spacing is 52.6 ms at 190 calls per 10 s, and a millisecond lost per call is 2% of
     * the budget.
     */
    Sleeper SYSTEM = duration -> {
        long deadline = System.nanoTime() + Math.max(1, duration.toNanos());
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for the HubSpot rate limit");
            }
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
