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
        try {
            return freeze(value);
        } catch (InvalidValue e) {
            StringBuilder at = new StringBuilder(path);
            for (int i = e.segments.size() - 1; i >= 0; i--) {
                at.append('/').append(e.segments.get(i));
            }
            throw new IllegalArgumentException(e.what.replace("{path}", pathOrRoot(at.toString())));
        }
    }

    /**
     * A copy of a JSON-like value, immutable. The path of a bad value is put together only when
     * there is one ({@link InvalidValue} collects it on its way up): building it for every node
     * cost more than the copy itself.
     */
    private static Object freeze(Object value) {
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
                    throw new InvalidValue("key at {path} is not a string");
                }
                try {
                    copy.put(key, freeze(e.getValue()));
                } catch (InvalidValue invalid) {
                    invalid.segments.add(key);
                    throw invalid;
                }
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                try {
                    copy.add(freeze(list.get(i)));
                } catch (InvalidValue invalid) {
                    invalid.segments.add(Integer.toString(i));
                    throw invalid;
                }
            }
            return Collections.unmodifiableList(copy);
        }
        throw new InvalidValue("value at {path} is a " + value.getClass().getName() + ", not a JSON value");
    }

    /** A bad key or value deep in a tree; collects the path's segments, innermost first. */
    private static final class InvalidValue extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<String> segments = new ArrayList<>();
        private final String what;

        InvalidValue(String what) {
            super(what, null, false, false);
            this.what = what;
        }
    }

    private static String pathOrRoot(String path) {
        return path.isEmpty() ? "/" : path;
    }
}
