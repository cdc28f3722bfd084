package dev.sluice.host.delivery;

/**
 * A destination's delivery counters since the host started, and its queue depth now: what a
 * health or metrics endpoint shows.
 *
 * @param destinationId the destination
 * @param state         the worker's state
 * @param delivered     events the destination acknowledged
 * @param skipped       events the destination skipped
 * @param retried       event attempts that ended in a retry (one event retried 3 times counts 3)
 * @param deadLettered  events moved to the dead-letter store
 * @param queuedEvents  events queued now
 * @param queuedBytes   bytes queued now
 */
public record DeliveryStats(
        String destinationId,
        WorkerState state,
        long delivered,
        long skipped,
        long retried,
        long deadLettered,
        long queuedEvents,
        long queuedBytes) {
}
