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
 * @param classes       the retries and dead letters by reason class
 */
public record DeliveryStats(
        String destinationId,
        WorkerState state,
        long delivered,
        long skipped,
        long retried,
        long deadLettered,
        long queuedEvents,
        long queuedBytes,
        ReasonClasses classes) {

    /**
     * Why events were retried or dead-lettered.
     *
     * @param retriedAskedToWait retries for which the destination said when (a rate limit, a daily
     *                           limit: {@code Outcome.retry(reason, notBefore)})
     * @param retriedPluginError retries because {@code deliver} threw or answered wrongly
     * @param rejected           dead letters the destination rejected
     * @param gaveUp             dead letters still failing after {@code retry_for}
     * @param unreadable         dead letters whose stored bytes were no event
     * @param transformFailed    dead letters whose {@code data_layout.transform} failed at delivery
     */
    public record ReasonClasses(long retriedAskedToWait, long retriedPluginError, long rejected, long gaveUp,
                                long unreadable, long transformFailed) {

        public static final ReasonClasses NONE = new ReasonClasses(0, 0, 0, 0, 0, 0);
    }

    public DeliveryStats {
        java.util.Objects.requireNonNull(classes, "classes");
    }

    /** Without a breakdown by reason class. */
    public DeliveryStats(String destinationId, WorkerState state, long delivered, long skipped, long retried,
                         long deadLettered, long queuedEvents, long queuedBytes) {
        this(destinationId, state, delivered, skipped, retried, deadLettered, queuedEvents, queuedBytes,
                ReasonClasses.NONE);
    }

    /** Retries that were neither asked for with a time nor caused by a plugin error. */
    public long retriedTransient() {
        return retried - classes.retriedAskedToWait() - classes.retriedPluginError();
    }
}
