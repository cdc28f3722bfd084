package dev.sluice.hubspot.http;

import java.io.IOException;
import java.util.Objects;

/**
 * A call to HubSpot that got no answer: a timeout, a refused or broken connection. The message
 * names the call and the underlying failure with every credential masked; the original exception is
 * not kept as the cause, because its message may hold the URL with the {@code hapikey}.
 */
public final class CallFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind { TIMEOUT, CONNECTION, OTHER }

    private final Kind kind;

    public CallFailedException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
