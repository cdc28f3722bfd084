package dev.sluice.host.ingest;

import dev.sluice.host.pipeline.EventSink;
import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory EventSink that records each enqueue call, or fails as told. */
final class RecordingSink implements EventSink {

    /** What the next calls do. */
    interface Behaviour {
        void enqueue(List<RoutedEvent> events) throws QueueFullException, SinkUnavailableException;
    }

    final List<List<RoutedEvent>> calls = new CopyOnWriteArrayList<>();
    volatile Behaviour behaviour = events -> { };

    @Override
    public void enqueue(List<RoutedEvent> events) throws QueueFullException, SinkUnavailableException {
        behaviour.enqueue(events);
        calls.add(List.copyOf(events));
    }

    List<RoutedEvent> all() {
        return calls.stream().flatMap(List::stream).toList();
    }
}
