package dev.sluice.hubspot.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * When a call HubSpot did not accept may be tried again. One place for the rules, so that the
 * rate limiter's pause and the events' {@code Retry.notBefore} agree.
 *
 * <ul>
 *   <li>{@code Retry-After} (seconds or an HTTP date) wins whenever HubSpot sends it.</li>
 *   <li>429 {@code TEN_SECONDLY_ROLLING}: the end of the window, now +
 *       {@code X-HubSpot-RateLimit-Interval-Milliseconds} (10 s when absent).</li>
 *   <li>429 {@code DAILY}: HubSpot resets the daily budget at midnight in the portal's time zone,
 *       which no answer tells us. Every time zone's midnight falls on a full hour UTC (a few on
 *       :30 or :45), so we wait for the next full UTC hour: at most 24 refused probes a day, and
 *       the reset is found within the hour. Waiting for UTC midnight instead would, for a portal
 *       west of UTC (reset at 05:00-08:00 UTC), probe too early and then wait another whole day.</li>
 *   <li>423 Locked: at least 2 s. 477 Migration in progress: {@code Retry-After}, else 10 s.</li>
 *   <li>5xx, timeouts and connection failures: a short pause of 5 s.</li>
 * </ul>
 */
public final class RetrySchedule {

    static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    static final Duration LOCKED_PAUSE = Duration.ofSeconds(2);
    static final Duration MIGRATION_PAUSE = Duration.ofSeconds(10);
    static final Duration OUTAGE_PAUSE = Duration.ofSeconds(5);
    static final Duration AUTH_PAUSE = Duration.ofMinutes(1);

    private final Clock clock;

    public RetrySchedule(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Instant now() {
        return clock.instant();
    }

    /** For a 429: the end of the rolling window, or the next full UTC hour for the DAILY limit. */
    public Instant afterRateLimit(HubSpotResponse response) {
        Instant now = clock.instant();
        Optional<Instant> retryAfter = retryAfter(response, now);
        if (retryAfter.isPresent()) {
            return retryAfter.get();
        }
        if (isDailyLimit(response)) {
            return nextFullHour(now);
        }
        return now.plus(interval(response).orElse(RATE_WINDOW));
    }

    /** For a 423: {@code Retry-After} but never sooner than 2 s. */
    public Instant afterLocked(HubSpotResponse response) {
        Instant now = clock.instant();
        Instant minimum = now.plus(LOCKED_PAUSE);
        return retryAfter(response, now).filter(t -> t.isAfter(minimum)).orElse(minimum);
    }

    /** For a 477: {@code Retry-After}, else 10 s. */
    public Instant afterMigration(HubSpotResponse response) {
        Instant now = clock.instant();
        return retryAfter(response, now).orElse(now.plus(MIGRATION_PAUSE));
    }

    /** For a 5xx: {@code Retry-After}, else 5 s. */
    public Instant afterOutage(HubSpotResponse response) {
        Instant now = clock.instant();
        return retryAfter(response, now).orElse(now.plus(OUTAGE_PAUSE));
    }

    /** For a timeout or connection failure: 5 s. */
    public Instant afterIoFailure() {
        return clock.instant().plus(OUTAGE_PAUSE);
    }

    /** For a 401 or 403: a minute; the destination is misconfigured, hammering does not help. */
    public Instant afterAuthFailure() {
        return clock.instant().plus(AUTH_PAUSE);
    }

    /** True for a 429 whose body names the {@code DAILY} policy. */
    public static boolean isDailyLimit(HubSpotResponse response) {
        return response.status() == 429 && HubSpotError.of(response)
                .map(e -> e.policyName().toUpperCase(Locale.ROOT).startsWith("DAILY")).orElse(false);
    }

    /** The next full hour UTC strictly after {@code now}. */
    public static Instant nextFullHour(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    }

    /** {@code X-HubSpot-RateLimit-Interval-Milliseconds}, when present and positive. */
    public static Optional<Duration> interval(HubSpotResponse response) {
        return intHeader(response, "X-HubSpot-RateLimit-Interval-Milliseconds").filter(ms -> ms > 0)
                .map(Duration::ofMillis);
    }

    static Optional<Integer> intHeader(HubSpotResponse response, String name) {
        return response.header(name).flatMap(v -> {
            try {
                return Optional.of(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** {@code Retry-After} as a time: delta seconds or an HTTP date; never in the past. */
    static Optional<Instant> retryAfter(HubSpotResponse response, Instant now) {
        Optional<String> header = response.header("Retry-After").map(String::trim).filter(s -> !s.isEmpty());
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(now.plusSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .withZoneSameInstant(ZoneOffset.UTC).toInstant();
                return Optional.of(at.isBefore(now) ? now : at);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
