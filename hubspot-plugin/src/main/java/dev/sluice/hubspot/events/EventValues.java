package dev.sluice.hubspot.events;

import dev.sluice.api.Event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Reads the time and the revenue of an event the way Jitsu Classic's payloads carry them. */
final class EventValues {

    static final String REVENUE_PATH = "/revenue||/conversion/revenue";
    static final String TIME_PATHS = "/utc_time||/_timestamp";
    private static final long MILLIS_FROM = 100_000_000_000L;

    private EventValues() {
    }

    /** The range {@code occurredAt} can carry: RFC 3339 date-times have four-digit years. */
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /**
     * {@code utc_time}, else {@code _timestamp}, to the millisecond; empty when neither parses to a
     * time with a four-digit year (HubSpot's {@code occurredAt} is an RFC 3339 date-time, so e.g.
     * microseconds read as milliseconds, year 57025, would make HubSpot refuse the occurrence).
     */
    static Optional<Instant> occurredAt(Event event) {
        for (String path : TIME_PATHS.split("\\|\\|")) {
            Optional<Instant> time = event.get(path).flatMap(EventValues::instant)
                    .filter(t -> !t.isBefore(EARLIEST) && !t.isAfter(LATEST));
            if (time.isPresent()) {
                return time.map(t -> t.truncatedTo(ChronoUnit.MILLIS));
            }
        }
        return Optional.empty();
    }

    static Optional<Instant> instant(Object value) {
        if (value instanceof Number n && !(value instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            long number = n.longValue();
            // Jitsu payloads carry ISO text; numbers are epoch milliseconds, or seconds when small.
            return Optional.of(number >= MILLIS_FROM || number <= -MILLIS_FROM
                    ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number));
        }
        if (!(value instanceof String s) || s.isBlank()) {
            return Optional.empty();
        }
        String text = s.trim();
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            return Optional.empty();
        }
    }

    /** The revenue as HubSpot's string form ({@code 2000.0} -> {@code "2000"}); empty when absent or not a number. */
    static Optional<String> revenue(Event event) {
        return event.get(REVENUE_PATH).flatMap(EventValues::number);
    }

    static Optional<String> number(Object value) {
        if (value instanceof Long || value instanceof BigInteger) {
            return Optional.of(value.toString());
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? Optional.empty()
                    : Optional.of(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        }
        if (value instanceof BigDecimal b) {
            return Optional.of(b.stripTrailingZeros().toPlainString());
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Optional.of(new BigDecimal(s.trim()).stripTrailingZeros().toPlainString());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
