package dev.sluice.host.pipeline;

import java.util.Objects;

/**
 * One accepted, enriched event bound for one destination: what ingest hands to the queue.
 *
 * @param destinationId the destination's id
 * @param eventId       the event's id (Jitsu's {@code eventn_ctx_event_id})
 * @param json          the enriched event as UTF-8 JSON
 */
public record RoutedEvent(String destinationId, String eventId, byte[] json) {

    public RoutedEvent {
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(json, "json");
    }

    @Override
    public String toString() {
        return "RoutedEvent{destination=" + destinationId + ", id=" + eventId + ", bytes=" + json.length + "}";
    }
}
