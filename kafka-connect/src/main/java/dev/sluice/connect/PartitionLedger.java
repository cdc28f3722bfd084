package dev.sluice.connect;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What one partition's records came to, so that the task commits only settled offsets, sends a
 * retried record again without sending again the records after it that were settled, and knows
 * when to take the partition up again.
 *
 * <p>A record is <em>settled</em> when the destination delivered or skipped it, or it went to the
 * dead-letter topic. When a record of a batch must be retried, the partition is rewound to it (the
 * first unsettled offset) and paused until it is due; the settled records after it are remembered
 * and passed over when Kafka delivers them again. The committable offset never passes the first
 * unsettled record. Not thread-safe: used from the task's thread only.
 */
final class PartitionLedger {

    /** One record's fate in a batch, in offset order. */
    record Entry(long offset, boolean settled, Optional<Instant> notBefore) {
        static Entry settled(long offset) {
            return new Entry(offset, true, Optional.empty());
        }

        static Entry retry(long offset, Optional<Instant> notBefore) {
            return new Entry(offset, false, notBefore);
        }
    }

    private final Backoff backoff;
    private long committable = -1;
    private Long retryFrom;
    private Instant dueAt = Instant.MIN;
    private Instant firstRetryAt;
    private int attempts;
    private final TreeSet<Long> settledAhead = new TreeSet<>();

    PartitionLedger(Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /** True while a retry is pending and not yet due: the partition stays paused, its records are not for us. */
    boolean waiting(Instant now) {
        return retryFrom != null && now.isBefore(dueAt);
    }

    /** True when a retry is pending (due or not). */
    boolean retrying() {
        return retryFrom != null;
    }

    Instant dueAt() {
        return dueAt;
    }

    /** When the current retry episode began; empty when none. */
    Optional<Instant> firstRetryAt() {
        return Optional.ofNullable(firstRetryAt);
    }

    int attempts() {
        return attempts;
    }

    /**
     * True (once) when the record at {@code offset} was settled after a retried record before it:
     * Kafka delivers it again after the rewind, and it must not be sent twice.
     */
    boolean alreadySettled(long offset) {
        return settledAhead.remove(offset);
    }

    /**
     * Takes in one batch's entries for this partition, in offset order.
     *
     * @return the offset to rewind to (and pause the partition until {@link #dueAt()}) when a record
     *     must be retried; empty when every entry is settled
     */
    Optional<Long> apply(List<Entry> entries, Instant now) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Optional<Entry> firstRetry = entries.stream().filter(e -> !e.settled()).findFirst();
        if (firstRetry.isEmpty()) {
            committable = Math.max(committable, entries.get(entries.size() - 1).offset() + 1);
            if (retryFrom != null) {
                retryFrom = null;
                firstRetryAt = null;
                attempts = 0;
                dueAt = Instant.MIN;
            }
            return Optional.empty();
        }
        long from = firstRetry.get().offset();
        for (Entry e : entries) {
            if (e.settled() && e.offset() > from) {
                settledAhead.add(e.offset());
            }
        }
        settledAhead.headSet(from, true).clear();
        if (retryFrom == null) {
            firstRetryAt = now;
            attempts = 0;
        }
        attempts++;
        retryFrom = from;
        committable = from;
        Instant due = now.plus(backoff.delay(attempts));
        for (Entry e : entries) {
            if (!e.settled() && e.notBefore().isPresent() && e.notBefore().get().isAfter(due)) {
                due = e.notBefore().get();
            }
        }
        dueAt = due;
        return Optional.of(from);
    }

    /** The offset to commit (the next record not yet settled); empty before anything was settled. */
    Optional<Long> committable() {
        return committable < 0 ? Optional.empty() : Optional.of(committable);
    }

    /** Exponential backoff between the attempts of one retry episode. */
    record Backoff(Duration initial, Duration max) {
        Backoff {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
        }

        Duration delay(int attempt) {
            Duration d = initial;
            for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(max) > 0 ? max : d;
        }
    }
}
