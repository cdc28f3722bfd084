package dev.sluice.host.queue;

/** How much is queued for one destination: events and their stored bytes. */
public record QueueDepth(long events, long bytes) {

    public static final QueueDepth EMPTY = new QueueDepth(0, 0);

    QueueDepth plus(long moreEvents, long moreBytes) {
        return new QueueDepth(Math.max(0, events + moreEvents), Math.max(0, bytes + moreBytes));
    }
}
