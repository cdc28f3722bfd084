package dev.sluice.hubspot.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One custom behavioral event occurrence, ready to send.
 *
 * @param eventIndex position of its event in the delivered batch (keeps occurrences distinct)
 * @param uuid       the event id: HubSpot keeps the first occurrence per uuid, so retries cannot double count
 */
record EventOccurrence(int eventIndex, String eventName, String email, Instant occurredAt, String uuid,
                       Map<String, String> properties) {

    EventOccurrence {
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(uuid, "uuid");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }
}
