package dev.sluice.host.delivery;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Makes retries visible without flooding the log: the first retry after a quiet spell is logged at
 * once with its reason; further ones are counted and summarised once per {@link #WINDOW} (how
 * many, in how many batches, the last reason); a window without retries ends the spell, and the
 * next retry is logged at once again. One per destination, used from its delivery thread only.
 */
final class RetryLog {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private final String destinationId;
    private final Clock clock;
    private final Logger log;

    /** Start of the current window; null while quiet. */
    private Instant windowStart;
    private long events;
    private long batches;
    private String lastReason;

    RetryLog(String destinationId, Clock clock, Logger log) {
        this.destinationId = Objects.requireNonNull(destinationId, "destinationId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** {@code count} events of one batch will be retried, the last for {@code reason}. */
    void retried(int count, String reason) {
        tick();
        if (windowStart == null) {
            windowStart = clock.instant();
            log.warn("destination {}: {} will be retried: {} (further retries are summarised every {})",
                    destinationId, count == 1 ? "1 event" : count + " events", reason, DurationText.of(WINDOW));
            return;
        }
        events += count;
        batches++;
        lastReason = reason;
    }

    /** Writes the summary when a window has passed; call it often (the worker's loop does). */
    void tick() {
        if (windowStart == null) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(windowStart.plus(WINDOW))) {
            return;
        }
        if (events == 0) {
            windowStart = null;
            return;
        }
        log.warn("destination {}: {} more {} retried in {} {} over the last {}; last reason: {}", destinationId,
                events, events == 1 ? "event" : "events", batches, batches == 1 ? "batch" : "batches",
                DurationText.of(Duration.between(windowStart, now)), lastReason);
        windowStart = now;
        events = 0;
        batches = 0;
        lastReason = null;
    }
}
