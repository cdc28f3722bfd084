package dev.sluice.host.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One event in the dead-letter store.
 *
 * @param id             its row id in the dead-letter store
 * @param destinationId  the destination it could not reach
 * @param eventId        the event id
 * @param json           the event as UTF-8 JSON
 * @param reason         why it was given up
 * @param attempts       how many {@code deliver} calls it took part in
 * @param enqueuedAt     when it was queued
 * @param firstAttemptAt its first attempt, empty when never attempted (unreadable event)
 * @param lastAttemptAt  its last attempt, empty when never attempted
 * @param deadLetteredAt when it was moved here
 */
public record DeadLetter(
        long id,
        String destinationId,
        String eventId,
        byte[] json,
        String reason,
        int attempts,
        Instant enqueuedAt,
        Optional<Instant> firstAttemptAt,
        Optional<Instant> lastAttemptAt,
        Instant deadLetteredAt) {

    public DeadLetter {
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
        Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
    }

    @Override
    public String toString() {
        return "DeadLetter{id=" + id + ", destination=" + destinationId + ", event=" + eventId
                + ", attempts=" + attempts + ", reason=" + reason + "}";
    }
}
