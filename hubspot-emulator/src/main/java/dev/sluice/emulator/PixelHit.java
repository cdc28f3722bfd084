package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call of the legacy event pixel {@code GET /v1/event}.
 *
 * @param hubId      {@code _a}
 * @param eventName  {@code _n}
 * @param email      {@code email}
 * @param revenue    {@code _m}
 * @param properties every other parameter (contact properties)
 * @param receivedAt arrival time
 */
public record PixelHit(String hubId, String eventName, String email, String revenue, Map<String, String> properties,
                       Instant receivedAt) {
    public PixelHit {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    ObjectNode toJson() {
        ObjectNode json = JsonCodec.object();
        ReceivedEvent.putIfPresent(json, "hubId", hubId);
        ReceivedEvent.putIfPresent(json, "eventName", eventName);
        ReceivedEvent.putIfPresent(json, "email", email);
        ReceivedEvent.putIfPresent(json, "revenue", revenue);
        ObjectNode props = json.putObject("properties");
        properties.forEach(props::put);
        json.put("receivedAt", receivedAt.toString());
        return json;
    }
}
