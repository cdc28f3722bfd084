package dev.sluice.host.queue;

import java.time.Duration;

/** A latch that can be raised many times: the store raises it when new events are committed. */
final class WakeSignal {

    private boolean raised;

    synchronized void raise() {
        raised = true;
        notifyAll();
    }

    /** Waits until raised or the timeout passes; lowers it. Returns whether it was raised. */
    synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (!raised) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
        raised = false;
        return true;
    }
}
