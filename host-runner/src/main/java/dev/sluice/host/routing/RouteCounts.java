package dev.sluice.host.routing;

/**
 * Counters of one destination's routing since start.
 *
 * @param routed               events (copies) it was given
 * @param skipped              events its template skipped (empty, {@code null} or {@code false})
 * @param failed               events its template failed to evaluate for
 * @param transformSkipped     events its transform skipped ({@code null}, {@code undefined},
 *                             {@code false} or an empty array)
 * @param transformDeadLettered events its transform failed for (threw, ran too long, returned
 *                             something unusable): stored as dead letters
 */
public record RouteCounts(long routed, long skipped, long failed, long transformSkipped, long transformDeadLettered) {

    /** Counts of a destination without a transform. */
    public RouteCounts(long routed, long skipped, long failed) {
        this(routed, skipped, failed, 0, 0);
    }
}
