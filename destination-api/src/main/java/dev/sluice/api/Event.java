package dev.sluice.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One event as the host accepted it: an id and an immutable JSON-like tree. Values are
 * {@code Map<String, Object>} (insertion-ordered), {@code List<Object>}, {@link String},
 * {@link Number} ({@link Long}, {@link Double} or {@link BigDecimal}/{@link BigInteger}),
 * {@link Boolean} or {@code null}. Instances are deeply immutable and safe to share between threads.
 */
public final class Event {

    private final String id;
    private final Map<String, Object> fields;

    private Event(String id, Map<String, Object> fields) {
        this.id = id;
        this.fields = fields;
    }

    /**
     * Builds an event from a JSON-like tree, copying it deeply.
     *
     * @throws IllegalArgumentException if the tree holds a value of another kind, naming its path
     */
    public static Event of(String id, Map<String, ?> fields) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fields, "fields");
        if (id.isBlank()) {
            throw new IllegalArgumentException("event id must not be blank");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) freeze(fields, "");
        return new Event(id, copy);
    }

    /** The event id: Jitsu's {@code eventn_ctx.event_id} / {@code eventn_ctx_event_id}. */
    public String id() {
        return id;
    }

    /** The whole tree, immutable. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** The value at a Jitsu path such as {@code /user||/eventn_ctx/user}; see {@link EventPath}. */
    public Optional<Object> get(String path) {
        return EventPath.parse(path).find(fields);
    }

    /** Like {@link #get} when the value there is a string (blank strings included). */
    public Optional<String> getString(String path) {
        return get(path).filter(String.class::isInstance).map(String.class::cast);
    }

    /** Like {@link #get} when the value there is an object. */
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> getObject(String path) {
        return get(path).filter(Map.class::isInstance).map(v -> (Map<String, Object>) v);
    }

    /** The {@code event_type} field, when it is a string. */
    public Optional<String> eventType() {
        Object value = fields.get("event_type");
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event other && id.equals(other.id) && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, fields);
    }

    /** Only the id and the event type: event bodies hold personal data and stay out of logs. */
    @Override
    public String toString() {
        return "Event{id=" + id + ", event_type=" + eventType().orElse("?") + "}";
    }

    private static Object freeze(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean
                || value instanceof Long || value instanceof Double || value instanceof BigDecimal
                || value instanceof BigInteger) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("key at " + pathOrRoot(path) + " is not a string");
                }
                copy.put(key, freeze(e.getValue(), path + "/" + key));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(freeze(list.get(i), path + "/" + i));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("value at " + pathOrRoot(path) + " is a "
                + value.getClass().getName() + ", not a JSON value");
    }

    private static String pathOrRoot(String path) {
        return path.isEmpty() ? "/" : path;
    }
}
