package dev.sluice.host.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One queued event as a delivery worker reads it.
 *
 * @param rowId          the row's id, used to settle it
 * @param destinationId  its destination
 * @param eventId        the event id
 * @param json           the event as UTF-8 JSON
 * @param enqueuedAt     when ingest stored it (or a replay put it back)
 * @param attempts       how many {@code deliver} calls it took part in so far
 * @param firstAttemptAt when it was first handed to {@code deliver}; empty before that
 * @param lastError      the reason of its last retry; empty when none
 */
public record QueuedEvent(
        long rowId,
        String destinationId,
        String eventId,
        byte[] json,
        Instant enqueuedAt,
        int attempts,
        Optional<Instant> firstAttemptAt,
        Optional<String> lastError) {

    public QueuedEvent {
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
        Objects.requireNonNull(lastError, "lastError");
    }

    /** No body: events hold personal data and stay out of logs. */
    @Override
    public String toString() {
        return "QueuedEvent{row=" + rowId + ", destination=" + destinationId + ", id=" + eventId
                + ", bytes=" + json.length + ", attempts=" + attempts + "}";
    }
}
