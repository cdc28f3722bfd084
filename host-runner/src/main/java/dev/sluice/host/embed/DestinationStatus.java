package dev.sluice.host.embed;

/**
 * One destination of a running {@link EmbeddedHost}: its delivery counters since the host started
 * and its queue now. The same figures as {@code GET /api/v1/stats}.
 *
 * @param destinationId the key under {@code destinations:}
 * @param state         {@code STARTING} (calling the destination's {@code start()}), {@code RUNNING},
 *                      {@code FAILED} (its start failed for good; events stay queued) or {@code STOPPED}
 * @param delivered     events the destination acknowledged
 * @param skipped       events the destination skipped
 * @param retried       attempts that ended in a retry (one event retried 3 times counts 3)
 * @param deadLettered  events moved to the dead-letter store
 * @param queuedEvents  events queued now (waiting, in flight or waiting for a retry)
 * @param queuedBytes   their size in bytes
 */
public record DestinationStatus(
        String destinationId,
        String state,
        long delivered,
        long skipped,
        long retried,
        long deadLettered,
        long queuedEvents,
        long queuedBytes) {

    /** Events that reached an end here: delivered, skipped or dead-lettered. */
    public long settled() {
        return delivered + skipped + deadLettered;
    }
}
