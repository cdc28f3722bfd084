package dev.sluice.api;

import java.time.Duration;

/**
 * Where a destination reports what only it can see, for the host's metrics ({@code GET /metrics})
 * and stats: its calls to the outside system, the time it waited for that system's rate limits,
 * and values it had to drop. Every method has a do-nothing default, so a plugin calls what it
 * can and a host (or a test) implements what it shows. Implementations are thread-safe and cheap
 * (a counter increment); a destination may call them from any thread, on every call it makes.
 * Never pass secrets or personal data (an email, a value) in the arguments: they become metric
 * labels.
 */
public interface DestinationMetrics {

    /** Reports nothing; what {@link DestinationContext#metrics()} gives when the host has no metrics. */
    DestinationMetrics NONE = new DestinationMetrics() {
    };

    /**
     * One call to the outside system was answered.
     *
     * @param status the HTTP status (or the protocol's equivalent); the host groups it into
     *               {@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 429}, {@code 5xx}
     */
    default void callAnswered(int status) {
    }

    /** One call to the outside system got no answer (connection refused, timeout, reset). */
    default void callFailed() {
    }

    /**
     * The destination waited this long before a call because of the outside system's rate limit
     * (its own pacing, or a limit the system reported).
     */
    default void rateLimitWait(Duration waited) {
    }

    /**
     * A value of an event was not sent because the outside system could not take it.
     *
     * @param field  where it would have gone (e.g. a HubSpot property name), never the value itself
     * @param reason a short, fixed reason class, e.g. {@code "no such property"}, {@code "not a number"}
     */
    default void valueDropped(String field, String reason) {
    }
}
