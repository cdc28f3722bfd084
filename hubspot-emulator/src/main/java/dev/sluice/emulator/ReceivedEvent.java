package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One accepted custom event occurrence.
 *
 * @param eventName  fully qualified name
 * @param email      contact email, or null
 * @param utk        visitor token, or null
 * @param objectId   record id, or null
 * @param occurredAt as sent (ISO-8601), or the receive time when absent
 * @param uuid       as sent, or generated when absent (as HubSpot does)
 * @param properties event properties
 * @param receivedAt when the emulator accepted it
 * @param endpoint   {@code events.send} or {@code events.sendBatch}
 */
public record ReceivedEvent(String eventName, String email, String utk, String objectId, String occurredAt,
                            String uuid, Map<String, String> properties, Instant receivedAt, String endpoint) {
    public ReceivedEvent {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    ObjectNode toJson() {
        ObjectNode json = JsonCodec.object();
        json.put("eventName", eventName);
        putIfPresent(json, "email", email);
        putIfPresent(json, "utk", utk);
        putIfPresent(json, "objectId", objectId);
        json.put("occurredAt", occurredAt);
        json.put("uuid", uuid);
        ObjectNode props = json.putObject("properties");
        properties.forEach(props::put);
        json.put("receivedAt", receivedAt.toString());
        json.put("endpoint", endpoint);
        return json;
    }

    static void putIfPresent(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
