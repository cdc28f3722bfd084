package dev.sluice.host.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads an Events API body: one JSON object, a JSON array of objects, or
 * {@code {"template":{...},"events":[...]}} (an object whose only keys are {@code events}, an
 * array, and optionally {@code template}, an object; template fields are copied into every
 * event, the event's own fields win). Checks each event against the size limit: the size of an
 * event is the byte length of its own JSON text in the body.
 */
final class EventsBodyParser {

    private static final String SHAPES = "the body must be a JSON object, an array of JSON objects or "
            + "{\"template\":{...},\"events\":[...]}";

    private final ObjectMapper mapper;
    private final long maxEventSize;

    EventsBodyParser(ObjectMapper mapper, long maxEventSize) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.maxEventSize = maxEventSize;
    }

    /**
     * The events of the body, each a mutable, insertion-ordered map: read by {@link PlainJsonReader}
     * when it can, else (the template form, a malformed or unusual body) with Jackson's parser.
     */
    List<Map<String, Object>> parse(byte[] body) throws IngestRejection {
        List<Map<String, Object>> plain = PlainJsonReader.events(body, maxEventSize);
        return plain != null ? plain : parseWithJackson(body);
    }

    /** The events of the body as Jackson's parser reads them: what {@link PlainJsonReader} must build too. */
    List<Map<String, Object>> parseWithJackson(byte[] body) throws IngestRejection {
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw parseError("the body is empty; " + SHAPES);
            }
            List<Map<String, Object>> events;
            if (first == JsonToken.START_ARRAY) {
                events = readArray(parser, "the array");
            } else if (first == JsonToken.START_OBJECT) {
                long start = parser.currentTokenLocation().getByteOffset();
                Map<String, Object> object = readObject(parser);
                long size = parser.currentLocation().getByteOffset() - start;
                events = templateForm(object, body, start, size);
                if (events == null) {
                    checkSize(size, "the event");
                    events = List.of(object);
                }
            } else {
                throw parseError(SHAPES + "; got " + describe(first));
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw parseError("unexpected " + describe(trailing) + " after the JSON value" + at(parser.currentTokenLocation()));
            }
            return events;
        } catch (JsonProcessingException e) {
            throw parseError(firstLine(e.getOriginalMessage()) + at(e.getLocation()));
        } catch (IOException e) {
            throw parseError(firstLine(e.getMessage()));
        }
    }

    private List<Map<String, Object>> readArray(JsonParser parser, String what) throws IOException, IngestRejection {
        List<Map<String, Object>> events = new ArrayList<>();
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            index++;
            if (token != JsonToken.START_OBJECT) {
                throw parseError("item " + index + " of " + what + " is " + describe(token)
                        + ", not a JSON object" + at(parser.currentTokenLocation()));
            }
            long start = parser.currentTokenLocation().getByteOffset();
            Map<String, Object> event = readObject(parser);
            checkSize(parser.currentLocation().getByteOffset() - start, "item " + index + " of " + what);
            events.add(event);
        }
        return events;
    }

    /** The events of the template form, or null when the object is a plain event. */
    private List<Map<String, Object>> templateForm(Map<String, Object> object, byte[] body, long start, long size)
            throws IOException, IngestRejection {
        if (!(object.get("events") instanceof List<?>)) {
            return null;
        }
        Object template = object.get("template");
        boolean onlyBatchKeys = object.size() == (object.containsKey("template") ? 2 : 1);
        if (!onlyBatchKeys || (template != null && !(template instanceof Map<?, ?>))) {
            return null;
        }
        // Re-read the events array with positions, so each item's size is checked on its own.
        try (JsonParser parser = mapper.getFactory().createParser(body, (int) start, (int) size)) {
            parser.nextToken();
            List<Map<String, Object>> events = List.of();
            for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("events") && value == JsonToken.START_ARRAY) {
                    events = readArray(parser, "\"events\"");
                } else {
                    parser.skipChildren();
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> templateFields = template == null ? Map.of() : (Map<String, Object>) template;
            List<Map<String, Object>> merged = new ArrayList<>(events.size());
            for (Map<String, Object> event : events) {
                merged.add(merge(templateFields, event));
            }
            return merged;
        }
    }

    private static Map<String, Object> merge(Map<String, Object> template, Map<String, Object> event) {
        if (template.isEmpty()) {
            return event;
        }
        Map<String, Object> merged = new LinkedHashMap<>(deepCopy(template));
        merged.putAll(event);
        return merged;
    }

    /** Each event gets its own copy of the template's nested objects, since enrichment changes them. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>(map.size() * 2);
        map.forEach((k, v) -> copy.put(k, copyValue(v)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            return deepCopy((Map<String, Object>) m);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(copyValue(v)));
            return copy;
        }
        return value;
    }

    /**
     * The object at the parser's {@code START_OBJECT}, as Jackson's untyped binding reads it
     * ({@code readValue(parser, LinkedHashMap.class)}: objects as insertion-ordered maps, the last
     * of duplicate keys winning, arrays as lists, integers as Integer, Long or BigInteger, other
     * numbers as Double), read straight from the tokens: a loop the JIT compiles early and small,
     * where the generic binding is a deep call tree that runs slowly until compiled.
     */
    static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            object.put(name, readValue(parser, parser.nextToken()));
        }
        return object;
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            throw new JsonParseException(parser, "Unexpected end-of-input");
        }
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    list.add(readValue(parser, item));
                }
                yield list;
            }
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new JsonParseException(parser, "Unexpected token " + token);
        };
    }

    private void checkSize(long size, String what) throws IngestRejection {
        if (size > maxEventSize) {
            throw new IngestRejection(413, "Event is too large: " + what + " is " + size
                    + " bytes, the limit (server.max_event_size) is " + maxEventSize + " bytes");
        }
    }

    private static IngestRejection parseError(String detail) {
        return new IngestRejection(400, "Error parsing events body: " + detail);
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "'" + token.asString() + "'";
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
