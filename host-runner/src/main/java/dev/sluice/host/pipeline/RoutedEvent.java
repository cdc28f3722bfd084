package dev.sluice.host.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * One accepted, enriched event bound for one destination: what ingest hands to the queue.
 *
 * @param destinationId    the destination's id
 * @param eventId          the event's id (Jitsu's {@code eventn_ctx_event_id})
 * @param json             the event as UTF-8 JSON: enriched, and transformed when the
 *                         destination has a transform
 * @param deadLetterReason present when the event must be stored straight into the destination's
 *                         dead letters (its transform failed for it) instead of its queue
 */
public record RoutedEvent(String destinationId, String eventId, byte[] json, Optional<String> deadLetterReason) {

    public RoutedEvent {
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(deadLetterReason, "deadLetterReason");
    }

    /** An event for the destination's queue. */
    public RoutedEvent(String destinationId, String eventId, byte[] json) {
        this(destinationId, eventId, json, Optional.empty());
    }

    @Override
    public String toString() {
        return "RoutedEvent{destination=" + destinationId + ", id=" + eventId + ", bytes=" + json.length
                + (deadLetterReason.isPresent() ? ", dead letter" : "") + "}";
    }
}
