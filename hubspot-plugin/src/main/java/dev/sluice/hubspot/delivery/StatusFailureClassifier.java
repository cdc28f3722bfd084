package dev.sluice.hubspot.delivery;

import dev.sluice.api.Outcome;
import dev.sluice.hubspot.http.HubSpotResponse;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A plain status-based {@link FailureClassifier}: every whole-request failure is retried, with the
 * earliest time set from {@code Retry-After} or HubSpot's documented pauses. The HTTP layer's
 * richer classifier (daily limits, loud auth logging) replaces it where available.
 */
public final class StatusFailureClassifier implements FailureClassifier {

    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    private static final Duration LOCKED_PAUSE = Duration.ofSeconds(2);
    private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(5);

    private final Clock clock;

    public StatusFailureClassifier(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Outcome classify(HubSpotResponse response) {
        int status = response.status();
        String reason = BatchErrorBody.message(response);
        Instant now = clock.instant();
        Optional<Duration> retryAfter = response.header("Retry-After").flatMap(StatusFailureClassifier::seconds);
        return switch (status) {
            case 401, 403 -> Outcome.retry(reason + " (check the destination's credentials and scopes)",
                    now.plus(Duration.ofMinutes(1)));
            case 429 -> Outcome.retry(reason, now.plus(retryAfter.orElse(RATE_WINDOW)));
            case 423 -> Outcome.retry(reason, now.plus(max(retryAfter.orElse(LOCKED_PAUSE), LOCKED_PAUSE)));
            case 477 -> Outcome.retry(reason, now.plus(retryAfter.orElse(OUTAGE_PAUSE)));
            default -> status >= 500
                    ? Outcome.retry(reason, now.plus(retryAfter.orElse(OUTAGE_PAUSE)))
                    : status >= 400 ? Outcome.rejected(reason) : Outcome.retry(reason);
        };
    }

    @Override
    public Outcome classify(IOException failure) {
        return Outcome.retry("HubSpot call failed: " + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()), clock.instant().plus(OUTAGE_PAUSE));
    }

    private static Optional<Duration> seconds(String header) {
        try {
            long value = Long.parseLong(header.trim());
            return value >= 0 ? Optional.of(Duration.ofSeconds(value)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
