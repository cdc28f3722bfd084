package dev.sluice.testkit;

import dev.sluice.api.Event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events shaped as the host stores them after Jitsu enrichment ({@code event_type}, {@code user},
 * {@code eventn_ctx_event_id}, {@code _timestamp}, ...), for a plugin's tests.
 */
public final class TestEvents {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private TestEvents() {
    }

    /** A fresh, unique event id. */
    public static String newId() {
        return "test-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    }

    /** {@code user_identify} for this email, with a first name. */
    public static Event identify(String email) {
        return event("user_identify", Map.of("email", email, "firstname", "Ada"), Map.of());
    }

    /** A custom event of this type from this user, with extra top-level fields. */
    public static Event track(String eventType, String email, Map<String, ?> extra) {
        return event(eventType, Map.of("email", email, "anonymous_id", "anon-" + SEQUENCE.get()), extra);
    }

    /** An event of any type with this {@code user} object and extra top-level fields. */
    public static Event event(String eventType, Map<String, ?> user, Map<String, ?> extra) {
        String id = newId();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event_type", eventType);
        fields.put("eventn_ctx_event_id", id);
        fields.put("_timestamp", "2026-01-02T03:04:05.678Z");
        fields.put("user", user);
        fields.put("src", "api");
        fields.putAll(extra);
        return Event.of(id, fields);
    }

    /** The same fields under a new id (e.g. to fill a batch). */
    public static Event copyWithNewId(Event event) {
        String id = newId();
        Map<String, Object> fields = new LinkedHashMap<>(event.fields());
        if (fields.containsKey("eventn_ctx_event_id")) {
            fields.put("eventn_ctx_event_id", id);
        }
        return Event.of(id, fields);
    }

    /**
     * Events no destination can make sense of, but the host may still hand over (it stores any JSON
     * object): no event type, the wrong kinds of values where Jitsu puts objects and strings, an
     * empty object.
     */
    public static List<Event> malformed() {
        Map<String, Object> wrongKinds = new LinkedHashMap<>();
        wrongKinds.put("event_type", 42L);
        wrongKinds.put("user", "not-an-object");
        wrongKinds.put("eventn_ctx", List.of(1L, 2L));
        wrongKinds.put("_timestamp", true);
        Map<String, Object> nulls = new LinkedHashMap<>();
        nulls.put("event_type", null);
        nulls.put("user", null);
        return List.of(Event.of(newId(), Map.of()), Event.of(newId(), wrongKinds), Event.of(newId(), nulls));
    }
}
