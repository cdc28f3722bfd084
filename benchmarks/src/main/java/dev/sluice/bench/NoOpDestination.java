package dev.sluice.bench;

import dev.sluice.api.Destination;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;

import java.util.ArrayList;
import java.util.List;

/** A destination that acknowledges every event at once: the host's own delivery cost, nothing else. */
final class NoOpDestination implements Destination {

    private final int maxBatchSize;

    NoOpDestination(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    @Override
    public List<Outcome> deliver(List<Event> events) {
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            outcomes.add(Outcome.delivered());
        }
        return outcomes;
    }

    @Override
    public int maxBatchSize() {
        return maxBatchSize;
    }
}
