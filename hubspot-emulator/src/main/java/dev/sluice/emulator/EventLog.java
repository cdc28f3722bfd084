package dev.sluice.emulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Accepted events and pixel hits. HubSpot keeps the first occurrence of a uuid per event type and rejects the
 * rest; the emulator answers such a repeat like any accepted send (204) but does not store it, and counts it.
 * Thread-safe.
 */
final class EventLog {
    private final List<ReceivedEvent> events = new ArrayList<>();
    private final Set<String> seenUuids = new HashSet<>();
    private final List<PixelHit> pixelHits = new ArrayList<>();
    private long duplicateUuids;

    /** Stores the event unless its uuid was already seen for its event type; returns whether it was stored. */
    synchronized boolean accept(ReceivedEvent event) {
        if (!seenUuids.add(event.eventName() + "\n" + event.uuid())) {
            duplicateUuids++;
            return false;
        }
        events.add(event);
        return true;
    }

    synchronized boolean seen(String eventName, String uuid) {
        return seenUuids.contains(eventName + "\n" + uuid);
    }

    synchronized void recordPixel(PixelHit hit) {
        pixelHits.add(hit);
    }

    synchronized List<ReceivedEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<PixelHit> pixelHits() {
        return List.copyOf(pixelHits);
    }

    synchronized long duplicateUuids() {
        return duplicateUuids;
    }

    synchronized void clear() {
        events.clear();
        seenUuids.clear();
        pixelHits.clear();
        duplicateUuids = 0;
    }
}
