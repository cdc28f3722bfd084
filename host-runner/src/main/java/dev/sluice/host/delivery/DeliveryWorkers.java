package dev.sluice.host.delivery;

import dev.sluice.api.Destination;
import dev.sluice.host.config.DeliverySettings;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.routing.DeliveryScripts;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The delivery workers of a running host, one per destination, over one {@link DurableQueue}.
 * The runtime starts one per configured destination and stops them all, in parallel, on
 * shutdown before it closes the queue.
 */
public final class DeliveryWorkers {

    private final DurableQueue queue;
    private final Clock clock;
    private final RandomGenerator random;
    private final FatalStartListener onFatal;
    private final Map<String, DeliveryWorker> workers = new LinkedHashMap<>();

    /**
     * @param queue   the open queue
     * @param clock   the time for due times, backoff and {@code retry_for}
     * @param random  the jitter source; a {@link RandomGenerator.SplittableGenerator} is split per
     *                worker, any other must be safe for use from many threads
     * @param onFatal told when a destination's {@code start()} fails for good
     */
    public DeliveryWorkers(DurableQueue queue, Clock clock, RandomGenerator random, FatalStartListener onFatal) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.onFatal = Objects.requireNonNull(onFatal, "onFatal");
    }

    /** With the system clock and a fresh random source. */
    public DeliveryWorkers(DurableQueue queue, FatalStartListener onFatal) {
        this(queue, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"), onFatal);
    }

    /**
     * Creates and starts the worker of one destination. It calls {@code destination.start()} on
     * its own thread.
     *
     * @throws IllegalStateException a worker for this id already exists
     */
    public synchronized DeliveryWorker start(String destinationId, Destination destination, DeliverySettings settings) {
        return start(destinationId, destination, settings, Optional.empty());
    }

    /**
     * Creates and starts the worker of one destination whose JavaScript ({@code scripts}) runs on
     * each stored event just before it is sent.
     *
     * @throws IllegalStateException a worker for this id already exists
     */
    public synchronized DeliveryWorker start(String destinationId, Destination destination, DeliverySettings settings,
                                             Optional<DeliveryScripts> scripts) {
        if (workers.containsKey(destinationId)) {
            throw new IllegalStateException("destination " + destinationId + " already has a delivery worker");
        }
        // Generators such as L64X128MixRandom are not thread-safe: each worker gets its own split.
        RandomGenerator own = random instanceof RandomGenerator.SplittableGenerator splittable
                ? splittable.split() : random;
        DeliveryWorker worker = new DeliveryWorker(destinationId, destination, settings,
                queue.destination(destinationId), clock, own, onFatal, scripts);
        workers.put(destinationId, worker);
        worker.start();
        return worker;
    }

    public synchronized Optional<DeliveryWorker> worker(String destinationId) {
        return Optional.ofNullable(workers.get(destinationId));
    }

    /** Every destination's counters and queue depth, in start order. */
    public synchronized List<DeliveryStats> stats() {
        List<DeliveryStats> all = new ArrayList<>(workers.size());
        workers.values().forEach(w -> all.add(w.stats()));
        return all;
    }

    /**
     * Stops every worker: no new batches; in-flight {@code deliver} calls get up to {@code grace}
     * (shared, not per worker) to finish, then are abandoned (their events stay queued and are due
     * again); then every destination whose last call returned is closed. Call before closing the
     * queue.
     */
    public void stopAll(Duration grace) throws InterruptedException {
        List<DeliveryWorker> all;
        synchronized (this) {
            all = new ArrayList<>(workers.values());
        }
        all.forEach(DeliveryWorker::requestStop);
        long deadline = System.nanoTime() + grace.toNanos();
        for (DeliveryWorker w : all) {
            w.awaitStopped(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        }
        all.forEach(DeliveryWorker::closeDestination);
    }
}
