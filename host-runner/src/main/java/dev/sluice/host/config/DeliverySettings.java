package dev.sluice.host.config;

import java.time.Duration;

/**
 * A destination's {@code delivery:} section: how its queue is drained and bounded.
 *
 * @param batchSize       {@code batch_size}: most events per {@code deliver} call; 0 = the plugin's
 *                        {@code maxBatchSize()}
 * @param linger          {@code linger}: how long a worker waits for a batch to fill, default 200ms
 * @param retryFor        {@code retry_for}: how long an event is retried before it is dead-lettered,
 *                        counted from its first attempt, default 24h
 * @param backoffInitial  {@code backoff_initial}: first retry delay, default 1s (doubled each time, with jitter)
 * @param backoffMax      {@code backoff_max}: cap on the retry delay, default 10m
 * @param maxQueuedEvents {@code max_queued_events}: above this, ingest answers 503 for events bound here,
 *                        default 1,000,000
 * @param maxQueuedBytes  {@code max_queued_bytes}: the same by stored size, default 1 GiB
 */
public record DeliverySettings(
        int batchSize,
        Duration linger,
        Duration retryFor,
        Duration backoffInitial,
        Duration backoffMax,
        long maxQueuedEvents,
        long maxQueuedBytes) {

    public static DeliverySettings defaults() {
        return new DeliverySettings(0, Duration.ofMillis(200), Duration.ofHours(24), Duration.ofSeconds(1),
                Duration.ofMinutes(10), 1_000_000, 1L << 30);
    }
}
