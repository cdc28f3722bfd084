package dev.sluice.bench;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationException;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.ConfigField;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Benchmark-only destination types, registered on the embedded host with
 * {@code EmbeddedHost.Builder.factory(...)} (no plugin JAR). Both take no config.
 *
 * <ul>
 *   <li>{@link #PARKED}: {@code start()} fails retriably every time, so its delivery worker never
 *       delivers and its durable queue only grows: ingest with a queue that nothing drains.</li>
 *   <li>{@link #GATED_NOOP}: {@code start()} waits until a gate opens, then the destination
 *       acknowledges every event at once ({@link NoOpDestination}): a destination that is paused
 *       while a backlog is posted, then drained.</li>
 * </ul>
 */
final class BenchDestinationFactory implements DestinationFactory {

    static final String PARKED = "bench-parked";
    static final String GATED_NOOP = "bench-gated-noop";

    private final String type;
    private final Supplier<Destination> create;

    private BenchDestinationFactory(String type, Supplier<Destination> create) {
        this.type = type;
        this.create = create;
    }

    /** Destinations that never start, so nothing is ever delivered or taken off the queue. */
    static BenchDestinationFactory parked() {
        return new BenchDestinationFactory(PARKED, Parked::new);
    }

    /** No-op destinations (batches of {@code maxBatchSize}) whose {@code start()} returns once {@code gate} opens. */
    static BenchDestinationFactory gatedNoOp(CountDownLatch gate, int maxBatchSize) {
        return new BenchDestinationFactory(GATED_NOOP, () -> new Gated(gate, new NoOpDestination(maxBatchSize)));
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Set<String> supportedModes() {
        return Set.of(MODE_STREAM, MODE_BATCH);
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of();
    }

    @Override
    public Destination create(DestinationContext context) {
        return create.get();
    }

    private static final class Parked implements Destination {
        @Override
        public void start() throws DestinationException {
            throw new DestinationException("benchmark destination '" + PARKED + "' never starts: its queue is not "
                    + "drained", true);
        }

        @Override
        public List<Outcome> deliver(List<Event> events) {
            throw new IllegalStateException("a '" + PARKED + "' destination never delivers");
        }
    }

    private static final class Gated implements Destination {
        private final CountDownLatch gate;
        private final Destination delegate;

        Gated(CountDownLatch gate, Destination delegate) {
            this.gate = gate;
            this.delegate = delegate;
        }

        @Override
        public void start() throws DestinationException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DestinationException("interrupted while waiting for the benchmark to open the gate", true, e);
            }
            delegate.start();
        }

        @Override
        public List<Outcome> deliver(List<Event> events) throws Exception {
            return delegate.deliver(events);
        }

        @Override
        public int maxBatchSize() {
            return delegate.maxBatchSize();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
