package dev.sluice.webhook;

import dev.sluice.api.Outcome;
import okhttp3.HttpUrl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one webhook request, which every event of the request shares.
 *
 * <table>
 *   <caption>Answers and outcomes</caption>
 *   <tr><th>answer</th><th>outcome</th></tr>
 *   <tr><td>2xx</td><td>delivered</td></tr>
 *   <tr><td>408, 429, 5xx, any I/O failure (refused, reset, timeout)</td>
 *       <td>retry, not before {@code Retry-After} when the answer has one</td></tr>
 *   <tr><td>3xx</td><td>rejected: redirects are not followed</td></tr>
 *   <tr><td>other 4xx</td><td>rejected with the status and the start of the answer body</td></tr>
 *   <tr><td>anything else (1xx, 6xx...)</td><td>retry</td></tr>
 * </table>
 *
 * Reasons name the endpoint as {@code scheme://host:port/path}, never the query or user info, and
 * pass everything the endpoint wrote through the {@link SecretMask}.
 */
final class AnswerClassifier {

    /** How much of an answer body goes into a reason. */
    static final int SNIPPET_CHARS = 200;
    /** A larger {@code Retry-After} is taken as a year (the host's {@code retry_for} ends it sooner). */
    static final long MAX_RETRY_AFTER_SECONDS = 365L * 24 * 3600;

    /** What the classifier needs of an HTTP answer. {@code body}: its start, at most a few KiB. */
    record Answer(int status, Optional<String> retryAfter, Optional<String> location, String body) {
        Answer {
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(body, "body");
        }
    }

    private final Clock clock;
    private final HttpUrl url;
    private final String endpoint;
    private final SecretMask mask;

    AnswerClassifier(Clock clock, HttpUrl url, SecretMask mask) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.url = Objects.requireNonNull(url, "url");
        this.endpoint = WebhookConfig.endpoint(url);
        this.mask = Objects.requireNonNull(mask, "mask");
    }

    Outcome classify(Answer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return Outcome.delivered();
        }
        String head = "HTTP " + status + " from " + endpoint;
        if (status >= 300 && status < 400) {
            String target = answer.location().map(this::describeLocation).orElse("an address not given (no Location)");
            return Outcome.rejected(head + ": redirect to " + target
                    + " not followed; set url to the final address");
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return Outcome.rejected(head + snippet(answer.body()));
        }
        String reason = (status < 200 || status >= 600 ? "unexpected answer " : "") + head + snippet(answer.body());
        Optional<Instant> notBefore = answer.retryAfter().flatMap(v -> retryAfter(v, clock.instant()));
        return notBefore.map(at -> Outcome.retry(reason, at)).orElseGet(() -> Outcome.retry(reason));
    }

    /** A failed call: nothing (or nothing known) reached the endpoint, so every event is retried. */
    Outcome classify(IOException failure) {
        boolean timeout = failure instanceof SocketTimeoutException
                || (failure instanceof InterruptedIOException && "timeout".equalsIgnoreCase(failure.getMessage()));
        String detail = failure.getMessage() == null ? "" : ": " + singleLine(mask.apply(stripUrls(failure.getMessage())));
        String what = timeout ? "timed out calling " : failure.getClass().getSimpleName() + " calling ";
        return Outcome.retry(what + endpoint + truncate(detail, SNIPPET_CHARS + 2));
    }

    private String describeLocation(String location) {
        HttpUrl target = url.resolve(location.trim());
        return target == null ? "an address that is not an http(s) URL" : WebhookConfig.endpoint(target);
    }

    /** {@code ": <first 200 characters on one line>"}, or empty for an empty body. */
    private String snippet(String body) {
        String text = singleLine(mask.apply(body));
        return text.isEmpty() ? " (empty answer)" : ": " + truncate(text, SNIPPET_CHARS);
    }

    /** Control characters and runs of white space become one space. */
    static String singleLine(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 4096));
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    /** Drops query strings and user info from any URL the network stack wrote into a message. */
    private static String stripUrls(String message) {
        return message.replaceAll("(?i)(https?://)[^/\\s@]*@", "$1")
                .replaceAll("\\?[^\\s]*", "");
    }

    /**
     * {@code Retry-After} as a time: a number of seconds from now, or an HTTP date (a date in the
     * past means now). Empty when the value is neither.
     */
    static Optional<Instant> retryAfter(String value, Instant now) {
        String text = value.trim();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(now.plusSeconds(Math.min(seconds, MAX_RETRY_AFTER_SECONDS)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .withZoneSameInstant(ZoneOffset.UTC).toInstant();
                return Optional.of(at.isBefore(now) ? now : at);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
