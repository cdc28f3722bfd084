package dev.sluice.host.routing;

import java.util.List;
import java.util.Objects;

/**
 * Where one event goes.
 *
 * @param destinations ids of the destinations that keep the event as it is, in config order
 * @param transformed  events that destinations with a transform keep: what their transform made
 * @param deadLettered destinations whose transform failed for the event: it is stored as a dead
 *                     letter there, with the reason
 * @param skipped      ids of destinations whose template or transform skipped it
 * @param failed       ids of destinations whose template failed for it
 */
public record Routing(List<String> destinations, List<Copy> transformed, List<Failure> deadLettered,
                      List<String> skipped, List<String> failed) {

    /**
     * One event a transform made for a destination.
     *
     * @param destinationId the destination
     * @param index         its place among the events the transform returned (0 for the first)
     * @param json          the event as JSON
     */
    public record Copy(String destinationId, int index, String json) {
        public Copy {
            Objects.requireNonNull(destinationId, "destinationId");
            Objects.requireNonNull(json, "json");
        }
    }

    /**
     * A transform that failed for the event at one destination.
     *
     * @param destinationId the destination
     * @param reason        the JavaScript error message and line, or the time limit
     */
    public record Failure(String destinationId, String reason) {
        public Failure {
            Objects.requireNonNull(destinationId, "destinationId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public Routing {
        destinations = List.copyOf(destinations);
        transformed = List.copyOf(transformed);
        deadLettered = List.copyOf(deadLettered);
        skipped = List.copyOf(skipped);
        failed = List.copyOf(failed);
    }

    /** Routing without transforms. */
    public Routing(List<String> destinations, List<String> skipped, List<String> failed) {
        this(destinations, List.of(), List.of(), skipped, failed);
    }

    public static Routing none() {
        return new Routing(List.of(), List.of(), List.of());
    }

    /** Whether the event is stored anywhere (kept, transformed or dead-lettered). */
    public boolean storesAnything() {
        return !destinations.isEmpty() || !transformed.isEmpty() || !deadLettered.isEmpty();
    }
}
