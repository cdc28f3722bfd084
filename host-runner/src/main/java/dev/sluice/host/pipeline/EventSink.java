package dev.sluice.host.pipeline;

import java.util.List;

/**
 * Where ingest puts accepted events. The durable queue implements it; ingest answers 200 only
 * after {@link #enqueue} returned.
 */
public interface EventSink {

    /**
     * Durably stores every event (all or none), returning once they are committed to disk. Safe
     * to call from many request threads at once; implementations group concurrent calls into one
     * commit.
     *
     * @throws QueueFullException when a destination's queue is over its limit; nothing is stored
     * @throws SinkUnavailableException when the store cannot write (disk full, closed); nothing is stored
     */
    void enqueue(List<RoutedEvent> events) throws QueueFullException, SinkUnavailableException;
}
