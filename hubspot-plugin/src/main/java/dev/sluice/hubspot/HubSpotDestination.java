package dev.sluice.hubspot;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationException;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.delivery.EventBatchSender;
import dev.sluice.hubspot.delivery.ParallelCalls;
import dev.sluice.hubspot.http.HubSpotTransport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The HubSpot destination, as the seed divides the work: identify events ({@code event_type}
 * {@code user_identify}) become contact upserts, every other event a custom behavioral event. Each
 * group goes to its own sender; the outcomes come back in the order of the delivered batch.
 */
public final class HubSpotDestination implements Destination {

    /** The {@code event_type} of identification events. */
    public static final String IDENTIFY = "user_identify";

    /** One thing to read before the first delivery (the property catalog, the event definitions). */
    @FunctionalInterface
    public interface StartStep {
        void run() throws DestinationException;
    }

    private final int maxBatchSize;
    private final HubSpotTransport transport;
    private final List<StartStep> startSteps;
    private final EventBatchSender identifies;
    private final EventBatchSender others;

    private final ParallelCalls calls;

    public HubSpotDestination(int maxBatchSize, HubSpotTransport transport, List<StartStep> startSteps,
                              EventBatchSender identifies, EventBatchSender others) {
        this(maxBatchSize, transport, startSteps, identifies, others, ParallelCalls.sequential());
    }

    /** @param calls the pool the senders run their batch calls on; closed with this destination */
    public HubSpotDestination(int maxBatchSize, HubSpotTransport transport, List<StartStep> startSteps,
                              EventBatchSender identifies, EventBatchSender others, ParallelCalls calls) {
        this.calls = Objects.requireNonNull(calls, "calls");
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, not " + maxBatchSize);
        }
        this.maxBatchSize = maxBatchSize;
        this.transport = Objects.requireNonNull(transport, "transport");
        this.startSteps = List.copyOf(startSteps);
        this.identifies = Objects.requireNonNull(identifies, "identifies");
        this.others = Objects.requireNonNull(others, "others");
    }

    @Override
    public void start() throws DestinationException {
        for (StartStep step : startSteps) {
            step.run();
        }
    }

    @Override
    public List<Outcome> deliver(List<Event> events) throws Exception {
        List<Integer> identifyIndexes = new ArrayList<>();
        List<Integer> otherIndexes = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            (events.get(i).eventType().filter(IDENTIFY::equals).isPresent() ? identifyIndexes : otherIndexes).add(i);
        }
        Outcome[] outcomes = new Outcome[events.size()];
        sendGroup(identifies, events, identifyIndexes, outcomes);
        sendGroup(others, events, otherIndexes, outcomes);
        return List.of(outcomes);
    }

    private static void sendGroup(EventBatchSender sender, List<Event> events, List<Integer> indexes,
                                  Outcome[] outcomes) throws InterruptedException {
        if (indexes.isEmpty()) {
            return;
        }
        List<Event> group = indexes.stream().map(events::get).toList();
        List<Outcome> results = sender.send(group);
        if (results.size() != group.size()) {
            throw new IllegalStateException("sender returned " + results.size() + " outcomes for " + group.size()
                    + " events");
        }
        for (int i = 0; i < indexes.size(); i++) {
            outcomes[indexes.get(i)] = Objects.requireNonNull(results.get(i), "outcome");
        }
    }

    @Override
    public int maxBatchSize() {
        return maxBatchSize;
    }

    @Override
    public void close() {
        calls.close();
        transport.close();
    }
}
