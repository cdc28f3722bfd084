package dev.sluice.hubspot.ratelimit;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * No call may be made before {@link #notBefore()}, and that is further away than the limiter is
 * willing to block the delivery thread (a DAILY limit, a long {@code Retry-After}). Callers turn
 * it into a retry at that time instead of sleeping.
 */
public final class RateLimitedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Instant notBefore;

    public RateLimitedException(String message, Instant notBefore) {
        super(message);
        this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
    }

    public Instant notBefore() {
        return notBefore;
    }
}
