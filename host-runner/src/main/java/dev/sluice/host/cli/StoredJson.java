package dev.sluice.host.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.host.queue.DeadLetter;
import dev.sluice.host.queue.QueueListing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/** Stored dead letters and queued events as JSON objects for {@code --json} and {@code show}. */
final class StoredJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private StoredJson() {
    }

    static ObjectNode of(DeadLetter d) {
        EventSummary summary = EventSummary.of(d.json());
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", d.id());
        o.put("destination", d.destinationId());
        o.put("event_id", d.eventId());
        o.put("event_type", summary.eventType());
        o.put("user", summary.user());
        o.put("reason", d.reason());
        o.put("attempts", d.attempts());
        o.put("enqueued_at", d.enqueuedAt().toString());
        time(o, "first_attempt_at", d.firstAttemptAt());
        time(o, "last_attempt_at", d.lastAttemptAt());
        o.put("dead_lettered_at", d.deadLetteredAt().toString());
        event(o, summary, d.json());
        return o;
    }

    static ObjectNode of(QueueListing.Item item, Instant now) {
        EventSummary summary = EventSummary.of(item.json());
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", item.id());
        o.put("destination", item.destinationId());
        o.put("event_id", item.eventId());
        o.put("event_type", summary.eventType());
        o.put("user", summary.user());
        o.put("attempts", item.attempts());
        o.put("enqueued_at", item.enqueuedAt().toString());
        o.put("next_attempt_at", item.nextAttemptAt().toString());
        o.put("due", !item.nextAttemptAt().isAfter(now));
        if (item.lastError().isPresent()) {
            o.put("last_reason", item.lastError().get());
        } else {
            o.putNull("last_reason");
        }
        event(o, summary, item.json());
        return o;
    }

    private static void time(ObjectNode o, String field, Optional<Instant> at) {
        if (at.isPresent()) {
            o.put(field, at.get().toString());
        } else {
            o.putNull(field);
        }
    }

    /** The event as JSON, or as text under {@code event_text} when the stored bytes are not JSON. */
    private static void event(ObjectNode o, EventSummary summary, byte[] json) {
        if (summary.event().isPresent()) {
            o.set("event", summary.event().get());
        } else {
            o.put("event_text", new String(json, StandardCharsets.UTF_8));
        }
    }
}
