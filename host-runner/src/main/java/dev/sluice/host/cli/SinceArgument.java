package dev.sluice.host.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --since TIME}: an ISO-8601 time ({@code 2026-12-06T10:00:00Z}, with an offset, or without
 * one meaning UTC), a date ({@code 2026-12-06}, midnight UTC), or a time ago ({@code 30m},
 * {@code 2h}, {@code 7d}).
 */
final class SinceArgument {

    private static final Pattern AGO = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

    private SinceArgument() {
    }

    static Instant parse(String text, Clock clock) throws UsageException {
        String t = text.trim();
        Matcher ago = AGO.matcher(t.toLowerCase(Locale.ROOT));
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration d = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return clock.instant().minus(d);
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    throw new UsageException("--since needs a time like 2026-12-06T10:00:00Z, 2026-12-06 "
                            + "(UTC) or a time ago like 30m, 2h, 7d; not '" + text + "'");
                }
            }
        }
    }
}
