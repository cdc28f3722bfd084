package dev.sluice.host.runtime;

/** The host could not start; the message says what to fix and never holds a secret. */
public final class HostStartException extends Exception {

    public HostStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
