package dev.sluice.host.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a delivery worker decided for the events of one batch, committed in one transaction by
 * {@link DestinationQueue#settle}.
 *
 * @param removed      delivered or skipped events: deleted
 * @param retries      events to try again later
 * @param deadLetters  events moved to the dead-letter store
 */
public record Settlement(List<QueuedEvent> removed, List<Retry> retries, List<DeadLetterMove> deadLetters) {

    public Settlement {
        removed = List.copyOf(removed);
        retries = List.copyOf(retries);
        deadLetters = List.copyOf(deadLetters);
    }

    /**
     * Reschedule one event.
     *
     * @param event          the event as it was read
     * @param attempts       its attempt count including the one just made
     * @param firstAttemptAt when it was first attempted
     * @param nextAttemptAt  when it is due again
     * @param lastError      why it must be retried
     */
    public record Retry(QueuedEvent event, int attempts, Instant firstAttemptAt, Instant nextAttemptAt,
                        String lastError) {
        public Retry {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
            Objects.requireNonNull(lastError, "lastError");
        }
    }

    /**
     * Move one event to the dead-letter store.
     *
     * @param event          the event as it was read
     * @param reason         why it can never be delivered
     * @param attempts       its attempt count including the last one (0 when never attempted)
     * @param firstAttemptAt when it was first attempted, or null when never
     * @param lastAttemptAt  when it was last attempted, or null when never
     */
    public record DeadLetterMove(QueuedEvent event, String reason, int attempts, Instant firstAttemptAt,
                                 Instant lastAttemptAt) {
        public DeadLetterMove {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public boolean isEmpty() {
        return removed.isEmpty() && retries.isEmpty() && deadLetters.isEmpty();
    }
}
