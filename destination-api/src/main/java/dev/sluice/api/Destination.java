package dev.sluice.api;

import java.util.List;

/**
 * One configured destination: turns batches of events into calls to an outside system. See the
 * {@linkplain dev.sluice.api package documentation} for who calls what, and on which thread.
 */
public interface Destination extends AutoCloseable {

    /**
     * Prepares the destination for delivery: reads remote schemas, checks credentials. Called once,
     * on the delivery thread, before the first {@link #deliver}.
     *
     * @throws DestinationException not {@linkplain DestinationException#retriable() retriable}
     *     when the config can never work (bad credentials, missing scope): the host reports it and
     *     stops; retriable when it may work later (network down): the host calls {@code start} again
     *     with backoff and delivers nothing meanwhile
     */
    default void start() throws DestinationException {
    }

    /**
     * Delivers a batch. Returns exactly one outcome per event, the {@code i}-th outcome for the
     * {@code i}-th event. Called from the delivery thread only; calls never overlap.
     *
     * <p>Every event is accounted for by its own outcome, so one bad event never fails the others:
     * {@link Outcome#delivered()} when the outside system acknowledged it, {@link Outcome#skipped}
     * when there was nothing to do, {@link Outcome#retry} when it may succeed later,
     * {@link Outcome#rejected} when it can never succeed.
     *
     * <p>An exception thrown here means {@code retry} for every event of the batch. Blocking on the
     * network is expected; sleeping to retry is not (return {@code retry} with a time instead).
     *
     * @param events the batch, never empty and at most {@link #maxBatchSize()} long; immutable
     */
    List<Outcome> deliver(List<Event> events) throws Exception;

    /**
     * The largest batch this destination wants in one {@link #deliver} call. The host never
     * exceeds it and may pass fewer events (the destination's config may lower it further).
     */
    default int maxBatchSize() {
        return 100;
    }

    /** Releases connections and threads. Called once, after the last {@link #deliver} returned. */
    @Override
    default void close() {
    }
}
