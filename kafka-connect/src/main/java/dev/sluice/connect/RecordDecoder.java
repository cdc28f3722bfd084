package dev.sluice.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.Event;
import org.apache.kafka.connect.sink.SinkRecord;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a record's value into a Sluice {@link Event}: a JSON object as text ({@code StringConverter})
 * or bytes ({@code ByteArrayConverter}), or an already parsed map (schemaless {@code JsonConverter}).
 * The event id is Jitsu's {@code eventn_ctx/event_id} (or {@code eventn_ctx_event_id}), else the
 * record's topic, partition and offset. What cannot be read is a {@link NotAnEvent} whose message
 * says why without quoting the record.
 */
final class RecordDecoder {

    /** Set by a host with {@code server.queue: kafka} on an event it dead-lettered (same text as its KafkaEventSink). */
    static final String DEAD_LETTER_HEADER = "sluice.dead_letter.reason";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The record is not a Sluice event; it goes to the dead-letter topic with this reason. */
    static final class NotAnEvent extends Exception {
        NotAnEvent(String message) {
            super(message);
        }
    }

    Event decode(SinkRecord record) throws NotAnEvent {
        // The host dead-lettered it already (its data_layout.transform failed): to the DLQ, with why.
        org.apache.kafka.connect.header.Header deadLetter = record.headers() == null ? null
                : record.headers().lastWithName(DEAD_LETTER_HEADER);
        if (deadLetter != null) {
            Object reason = deadLetter.value();
            throw new NotAnEvent(reason instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                    : String.valueOf(reason));
        }
        Object value = record.value();
        Map<String, Object> tree;
        if (value == null) {
            throw new NotAnEvent("not a Sluice event: the record has no value");
        } else if (value instanceof String text) {
            tree = parse(text);
        } else if (value instanceof byte[] bytes) {
            tree = parse(new String(bytes, StandardCharsets.UTF_8));
        } else if (value instanceof Map<?, ?> map) {
            tree = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                tree.put(String.valueOf(e.getKey()), e.getValue());
            }
        } else {
            throw new NotAnEvent("not a Sluice event: the value is a " + value.getClass().getSimpleName()
                    + "; use value.converter=org.apache.kafka.connect.storage.StringConverter");
        }
        String id = eventId(tree).orElse(record.topic() + "-" + record.kafkaPartition() + "-" + record.kafkaOffset());
        try {
            return Event.of(id, tree);
        } catch (IllegalArgumentException e) {
            throw new NotAnEvent("not a Sluice event: " + e.getMessage());
        }
    }

    private static Map<String, Object> parse(String text) throws NotAnEvent {
        Object read;
        try {
            read = JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new NotAnEvent("not a Sluice event: the value is not JSON (at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (!(read instanceof Map<?, ?> map)) {
            throw new NotAnEvent("not a Sluice event: the value is JSON " + (read == null ? "null" : read instanceof
                    java.util.List ? "array" : "text or number") + ", not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) map;
        return tree;
    }

    private static Optional<String> eventId(Map<String, Object> tree) {
        if (tree.get("eventn_ctx") instanceof Map<?, ?> ctx && ctx.get("event_id") instanceof String id && !id.isBlank()) {
            return Optional.of(id);
        }
        if (tree.get("eventn_ctx_event_id") instanceof String id && !id.isBlank()) {
            return Optional.of(id);
        }
        return Optional.empty();
    }
}
