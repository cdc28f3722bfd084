package dev.sluice.host.routing;

/**
 * Counters of one destination's routing since start.
 *
 * @param routed  events it was given
 * @param skipped events its template skipped (empty, {@code null} or {@code false})
 * @param failed  events its template failed to evaluate for
 */
public record RouteCounts(long routed, long skipped, long failed) {
}
