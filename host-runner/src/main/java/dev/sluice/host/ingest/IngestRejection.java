package dev.sluice.host.ingest;

/**
 * A request the Events API refuses, answered as {@code {"message":"...","error":""}} with this
 * status. Messages never hold a token or an event's content.
 */
final class IngestRejection extends Exception {

    private final int status;

    IngestRejection(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
