package dev.sluice.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one event of a batch. The host acts on it: {@link Delivered} and
 * {@link Skipped} events leave the queue, {@link Retry} events are rescheduled (never earlier than
 * {@link Retry#notBefore()}), {@link Rejected} events go to the dead-letter store with their
 * reason. Reasons must not contain secrets.
 */
public sealed interface Outcome {

    /** The outside system acknowledged the event. */
    record Delivered() implements Outcome {
    }

    /** There was nothing to send for this event (filtered out, nothing mapped). */
    record Skipped(String reason) implements Outcome {
        public Skipped {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The event may be delivered later: a timeout, a rate limit, an outage, bad credentials. The
     * host retries with backoff, not before {@code notBefore} when present, and dead-letters the
     * event when its retry limit runs out.
     */
    record Retry(String reason, Optional<Instant> notBefore) implements Outcome {
        public Retry {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(notBefore, "notBefore");
        }
    }

    /** The event can never be delivered as it is (invalid data): it goes to the dead-letter store. */
    record Rejected(String reason) implements Outcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    Delivered DELIVERED = new Delivered();

    static Outcome delivered() {
        return DELIVERED;
    }

    static Outcome skipped(String reason) {
        return new Skipped(reason);
    }

    static Outcome retry(String reason) {
        return new Retry(reason, Optional.empty());
    }

    /** Retry, but not before {@code notBefore} (e.g. when a rate-limit window ends). */
    static Outcome retry(String reason, Instant notBefore) {
        return new Retry(reason, Optional.of(notBefore));
    }

    static Outcome rejected(String reason) {
        return new Rejected(reason);
    }
}
