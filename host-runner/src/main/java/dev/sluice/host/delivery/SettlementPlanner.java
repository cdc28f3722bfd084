package dev.sluice.host.delivery;

import dev.sluice.api.Outcome;
import dev.sluice.host.queue.QueuedEvent;
import dev.sluice.host.queue.Settlement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides, from a batch and its outcomes, what happens to each event: delivered and skipped
 * events leave the queue, rejected ones become dead letters, retries are rescheduled with
 * {@link Backoff} (never before the outcome's {@code notBefore}) until their first attempt is
 * {@code retryFor} old, after which they become dead letters too.
 */
final class SettlementPlanner {

    private final Backoff backoff;
    private final Duration retryFor;

    SettlementPlanner(Backoff backoff, Duration retryFor) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.retryFor = Objects.requireNonNull(retryFor, "retryFor");
    }

    /**
     * Tallies of one plan, for the counters.
     *
     * @param retried      retries planned, of which {@code askedToWait} had a {@code notBefore}
     *                     (the destination said when: a rate limit, a daily limit)
     * @param deadLettered dead letters planned: {@code rejected} by the destination, the others
     *                     given up after {@code retry_for}
     */
    record Plan(Settlement settlement, int delivered, int skipped, int retried, int askedToWait, int deadLettered,
                int rejected) {

        int gaveUp() {
            return deadLettered - rejected;
        }
    }

    /**
     * @param sent      the events handed to {@code deliver}, in order
     * @param outcomes  one valid outcome per sent event, in order
     * @param now       when {@code deliver} returned
     * @param jitter    the batch's random fraction in {@code [0, 1)}
     */
    Plan plan(List<QueuedEvent> sent, List<Outcome> outcomes, Instant now, double jitter) {
        if (sent.size() != outcomes.size()) {
            throw new IllegalArgumentException(outcomes.size() + " outcomes for " + sent.size() + " events");
        }
        List<QueuedEvent> removed = new ArrayList<>();
        List<Settlement.Retry> retries = new ArrayList<>();
        List<Settlement.DeadLetterMove> dead = new ArrayList<>();
        int delivered = 0;
        int skipped = 0;
        int retried = 0;
        int askedToWait = 0;
        int rejected = 0;
        for (int i = 0; i < sent.size(); i++) {
            QueuedEvent e = sent.get(i);
            int attempts = e.attempts() + 1;
            Instant first = e.firstAttemptAt().orElse(now);
            Outcome outcome = outcomes.get(i);
            if (outcome instanceof Outcome.Delivered) {
                removed.add(e);
                delivered++;
            } else if (outcome instanceof Outcome.Skipped) {
                removed.add(e);
                skipped++;
            } else if (outcome instanceof Outcome.Rejected r) {
                dead.add(new Settlement.DeadLetterMove(e, r.reason(), attempts, first, now));
                rejected++;
            } else if (outcome instanceof Outcome.Retry r) {
                if (Duration.between(first, now).compareTo(retryFor) >= 0) {
                    dead.add(new Settlement.DeadLetterMove(e, "gave up after " + attempts + " attempts over "
                            + DurationText.of(retryFor) + ": " + r.reason(), attempts, first, now));
                } else {
                    Instant next = now.plus(backoff.delay(attempts, jitter));
                    if (r.notBefore().isPresent() && r.notBefore().get().isAfter(next)) {
                        next = r.notBefore().get();
                    }
                    retries.add(new Settlement.Retry(e, attempts, first, next, r.reason()));
                    retried++;
                    if (r.notBefore().isPresent()) {
                        askedToWait++;
                    }
                }
            }
        }
        return new Plan(new Settlement(removed, retries, dead), delivered, skipped, retried, askedToWait, dead.size(),
                rejected);
    }

    /** The same retry outcome for every event of a batch (the plugin threw or answered wrongly). */
    static List<Outcome> retryAll(int size, String reason) {
        List<Outcome> all = new ArrayList<>(size);
        Outcome retry = Outcome.retry(reason);
        for (int i = 0; i < size; i++) {
            all.add(retry);
        }
        return all;
    }
}
