package dev.sluice.host.queue;

import dev.sluice.host.config.DeliverySettings;

/**
 * The most a destination's queue may hold before ingest is refused with 503.
 *
 * @param maxEvents most queued events
 * @param maxBytes  most queued bytes (sum of the stored JSON sizes)
 */
public record QueueLimit(long maxEvents, long maxBytes) {

    public QueueLimit {
        if (maxEvents <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("queue limits must be positive, got " + maxEvents
                    + " events / " + maxBytes + " bytes");
        }
    }

    public static QueueLimit of(DeliverySettings settings) {
        return new QueueLimit(settings.maxQueuedEvents(), settings.maxQueuedBytes());
    }

    boolean admits(QueueDepth depth, long moreEvents, long moreBytes) {
        return depth.events() + moreEvents <= maxEvents && depth.bytes() + moreBytes <= maxBytes;
    }
}
