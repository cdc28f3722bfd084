package dev.sluice.host.delivery;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationException;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/** A destination that answers each call as the test scripted it, then delivers everything. */
final class ScriptedDestination implements Destination {

    @FunctionalInterface
    interface Answer {
        List<Outcome> answer(List<Event> batch) throws Exception;
    }

    @FunctionalInterface
    interface StartAnswer {
        void start() throws DestinationException;
    }

    final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    final ConcurrentLinkedDeque<StartAnswer> startScript = new ConcurrentLinkedDeque<>();
    final List<List<Event>> calls = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger starts = new AtomicInteger();
    volatile boolean closed;
    private final int maxBatchSize;

    ScriptedDestination() {
        this(100);
    }

    ScriptedDestination(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    static Answer all(Outcome outcome) {
        return batch -> Collections.nCopies(batch.size(), outcome);
    }

    ScriptedDestination then(Answer answer) {
        script.add(answer);
        return this;
    }

    @Override
    public void start() throws DestinationException {
        starts.incrementAndGet();
        StartAnswer next = startScript.poll();
        if (next != null) {
            next.start();
        }
    }

    @Override
    public List<Outcome> deliver(List<Event> events) throws Exception {
        if (closed) {
            throw new IllegalStateException("deliver after close");
        }
        calls.add(events);
        Answer next = script.poll();
        return next == null ? Collections.nCopies(events.size(), Outcome.delivered()) : next.answer(events);
    }

    @Override
    public int maxBatchSize() {
        return maxBatchSize;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Every event id delivered in every call, in order. */
    List<String> idsPerCall(int call) {
        return calls.get(call).stream().map(Event::id).toList();
    }
}
