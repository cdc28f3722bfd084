package dev.sluice.host.embed;

import java.time.Instant;
import java.util.Objects;

/**
 * One event in the dead-letter store of an {@link EmbeddedHost}.
 *
 * @param id             its id in the dead-letter store
 * @param destinationId  the destination it could not reach
 * @param eventId        the event id
 * @param eventJson      the event as stored (JSON)
 * @param reason         why it was given up: the destination's rejection or the last retry reason
 * @param attempts       how many {@code deliver} calls it took part in
 * @param deadLetteredAt when it was moved to the store
 */
public record StoredDeadLetter(long id, String destinationId, String eventId, String eventJson, String reason,
                               int attempts, Instant deadLetteredAt) {

    public StoredDeadLetter {
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventJson, "eventJson");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
    }

    /** The ids and the reason; never the event body, which holds personal data. */
    @Override
    public String toString() {
        return "StoredDeadLetter{id=" + id + ", destination=" + destinationId + ", event=" + eventId
                + ", attempts=" + attempts + ", reason=" + reason + "}";
    }
}
