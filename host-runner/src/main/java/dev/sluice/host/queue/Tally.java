package dev.sluice.host.queue;

import java.util.HashMap;
import java.util.Map;

/**
 * Events and bytes per destination, for the queue log's groups and moves. Most requests go to
 * one destination, so the first one is held in fields and a map is made only for a second. Not
 * thread-safe.
 */
final class Tally {

    /** What a tally holds for one destination. */
    interface Visitor<E extends Exception> {
        void visit(String destinationId, long events, long bytes) throws E;
    }

    private String first;
    private long firstEvents;
    private long firstBytes;
    private Map<String, long[]> others;

    void add(String destinationId, long events, long bytes) {
        if (first == null) {
            first = destinationId;
        }
        if (first.equals(destinationId)) {
            firstEvents += events;
            firstBytes += bytes;
            return;
        }
        if (others == null) {
            others = new HashMap<>();
        }
        long[] counts = others.computeIfAbsent(destinationId, k -> new long[2]);
        counts[0] += events;
        counts[1] += bytes;
    }

    /** Adds everything {@code other} holds. */
    void addAll(Tally other) {
        other.<RuntimeException>forEach(this::add);
    }

    /** Events tallied for the destination. */
    long events(String destinationId) {
        if (destinationId.equals(first)) {
            return firstEvents;
        }
        long[] counts = others == null ? null : others.get(destinationId);
        return counts == null ? 0 : counts[0];
    }

    /** Bytes tallied for the destination. */
    long bytes(String destinationId) {
        if (destinationId.equals(first)) {
            return firstBytes;
        }
        long[] counts = others == null ? null : others.get(destinationId);
        return counts == null ? 0 : counts[1];
    }

    <E extends Exception> void forEach(Visitor<E> visitor) throws E {
        if (first == null) {
            return;
        }
        visitor.visit(first, firstEvents, firstBytes);
        if (others != null) {
            for (Map.Entry<String, long[]> other : others.entrySet()) {
                visitor.visit(other.getKey(), other.getValue()[0], other.getValue()[1]);
            }
        }
    }
}
