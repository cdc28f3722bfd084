package dev.sluice.host.delivery;

/** Where a delivery worker is in its life. */
public enum WorkerState {
    /** Calling (or waiting to call again) the destination's {@code start()}. */
    STARTING,
    /** Delivering. */
    RUNNING,
    /**
     * {@code start()} failed for good, or the worker died of an unexpected error; nothing is
     * delivered, events stay queued.
     */
    FAILED,
    /** Stopped. */
    STOPPED
}
