package dev.sluice.host.ingest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes an accepted event (the map the events parser built and the enricher changed: string
 * keys) as UTF-8 JSON, byte for byte as {@code mapper.writeValueAsBytes(event)} would. An event
 * of the types the parser and the enricher put in it, without surrogate characters, is written
 * here straight into bytes ({@link PlainJsonWriter}); any other through Jackson's generator, the
 * same types written to it directly (a small loop the JIT compiles early, where the generic
 * binding is a deep call tree that runs slowly until compiled) and anything else through the
 * mapper. Thread-safe.
 */
final class EventJsonWriter {

    private final ObjectMapper mapper;

    EventJsonWriter(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    byte[] write(Map<String, Object> event) throws IOException {
        byte[] plain = PlainJsonWriter.write(event);
        return plain != null ? plain : writeWithJackson(event);
    }

    /** The event through Jackson's generator: what {@link PlainJsonWriter} must write too. */
    byte[] writeWithJackson(Map<String, Object> event) throws IOException {
        BufferRecycler recycler = mapper.getFactory()._getBufferRecycler();
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(recycler)) {
            try (JsonGenerator generator = mapper.createGenerator(bytes, JsonEncoding.UTF8)) {
                writeValue(generator, event);
            }
            byte[] json = bytes.toByteArray();
            bytes.release();
            return json;
        } finally {
            recycler.releaseToPool();
        }
    }

    private void writeValue(JsonGenerator generator, Object value) throws IOException {
        if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject(map);
            for (Map.Entry<?, ?> field : map.entrySet()) {
                generator.writeFieldName((String) field.getKey());
                writeValue(generator, field.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray(list, list.size());
            for (Object item : list) {
                writeValue(generator, item);
            }
            generator.writeEndArray();
        } else if (value == null) {
            generator.writeNull();
        } else if (value instanceof Integer number) {
            generator.writeNumber(number);
        } else if (value instanceof Long number) {
            generator.writeNumber(number);
        } else if (value instanceof Double number) {
            generator.writeNumber(number);
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value instanceof BigInteger number) {
            generator.writeNumber(number);
        } else {
            mapper.writeValue(generator, value);
        }
    }
}
