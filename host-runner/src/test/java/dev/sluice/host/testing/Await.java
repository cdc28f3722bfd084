package dev.sluice.host.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The tests' one bounded wait: polls a condition every 20 ms until it holds or the time is up. */
public final class Await {

    private Await() {
    }

    /** Waits up to 10 s for {@code condition}; fails naming {@code what}. */
    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        until(Duration.ofSeconds(10), condition, what);
    }

    /** Waits up to {@code limit} for {@code condition}; fails naming {@code what}. */
    public static void until(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toSeconds() + "s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
