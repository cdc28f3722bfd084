package dev.sluice.hubspot.delivery.testing;

import dev.sluice.api.Event;

import java.util.LinkedHashMap;
import java.util.Map;

/** Jitsu-shaped events for tests. */
public final class TestEvents {

    private TestEvents() {
    }

    /** A flat identify event: {@code {"event_type":"user_identify","user":{...}}}. */
    public static Event identify(String id, Map<String, ?> user) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event_type", "user_identify");
        fields.put("user", user);
        return Event.of(id, fields);
    }

    public static Event identify(String id, String email, String firstname) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", email);
        if (firstname != null) {
            user.put("firstname", firstname);
        }
        return identify(id, user);
    }

    /** A flat track event with a user email, plus extra top-level fields. */
    public static Event track(String id, String type, String email, Map<String, ?> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event_type", type);
        if (email != null) {
            fields.put("user", Map.of("email", email));
        }
        fields.putAll(extra);
        return Event.of(id, fields);
    }
}
