package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One invalid property value, in the shape HubSpot embeds in its messages:
 * {@code {"isValid":false,"message":"...","error":"PROPERTY_DOESNT_EXIST","name":"foo"}}.
 */
record PropertyError(String name, String code, String message) {
    static final String PREFIX = "Property values were not valid: ";

    ObjectNode toJson() {
        ObjectNode json = JsonCodec.object();
        json.put("isValid", false);
        json.put("message", message);
        json.put("error", code);
        json.put("name", name);
        return json;
    }

    static ArrayNode toJsonArray(List<PropertyError> errors) {
        ArrayNode array = JsonCodec.array();
        errors.forEach(e -> array.add(e.toJson()));
        return array;
    }

    /** HubSpot's message: {@code Property values were not valid: [ ...json array... ]}. */
    static String message(List<PropertyError> errors) {
        return PREFIX + JsonCodec.text(toJsonArray(errors));
    }
}
