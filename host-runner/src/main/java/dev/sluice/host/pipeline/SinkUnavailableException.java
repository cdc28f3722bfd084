package dev.sluice.host.pipeline;

/** The queue store cannot accept events now (closed, disk error); ingest answers 503. */
public final class SinkUnavailableException extends Exception {

    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
