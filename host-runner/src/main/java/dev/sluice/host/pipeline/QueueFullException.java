package dev.sluice.host.pipeline;

/** A destination's queue is over its configured limit; ingest answers 503 with this message. */
public final class QueueFullException extends Exception {

    private final String destinationId;

    public QueueFullException(String destinationId, String message) {
        super(message);
        this.destinationId = destinationId;
    }

    public String destinationId() {
        return destinationId;
    }
}
