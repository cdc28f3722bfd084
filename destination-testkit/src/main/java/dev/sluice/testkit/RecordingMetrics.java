package dev.sluice.testkit;

import dev.sluice.api.DestinationMetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link DestinationMetrics} that records what a destination reported, for its tests (the kit's
 * {@link TestContext} hands one out): answered calls by status, calls without an answer, the time
 * waited for rate limits, and dropped values by field and reason. Thread-safe.
 */
public final class RecordingMetrics implements DestinationMetrics {

    private final List<Integer> answered = new ArrayList<>();
    private int failed;
    private Duration waited = Duration.ZERO;
    private final Map<String, Long> dropped = new TreeMap<>();

    @Override
    public synchronized void callAnswered(int status) {
        answered.add(status);
    }

    @Override
    public synchronized void callFailed() {
        failed++;
    }

    @Override
    public synchronized void rateLimitWait(Duration waited) {
        this.waited = this.waited.plus(waited);
    }

    @Override
    public synchronized void valueDropped(String field, String reason) {
        dropped.merge(field + ": " + reason, 1L, Long::sum);
    }

    /** The statuses of the answered calls, in order. */
    public synchronized List<Integer> answeredStatuses() {
        return List.copyOf(answered);
    }

    /** How many calls got no answer. */
    public synchronized int failedCalls() {
        return failed;
    }

    /** The time waited for rate limits, in total. */
    public synchronized Duration rateLimitWaited() {
        return waited;
    }

    /** Dropped values as {@code "field: reason"} with their counts, sorted. */
    public synchronized Map<String, Long> dropped() {
        return Map.copyOf(new TreeMap<>(dropped));
    }

    /** Every label the destination reported (fields and reasons), to check that no secret is among them. */
    public synchronized List<String> labels() {
        return List.copyOf(dropped.keySet());
    }

    @Override
    public String toString() {
        return "RecordingMetrics{" + answeredStatuses().size() + " answered, " + failedCalls() + " failed}";
    }
}
