package dev.sluice.api;

/**
 * A destination cannot work, now ({@link #retriable()}) or with this config at all. Messages must
 * say what is wrong and what to change, and must never contain a secret.
 */
public class DestinationException extends Exception {

    private final boolean retriable;

    public DestinationException(String message, boolean retriable) {
        super(message);
        this.retriable = retriable;
    }

    public DestinationException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** True when the same call may succeed later without any change to the config. */
    public boolean retriable() {
        return retriable;
    }
}
