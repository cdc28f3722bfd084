package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Jitsu Classic's call: {@code POST /contacts/v1/contact/createOrUpdate/email/{email}/} with
 * {@code {"properties":[{"property":"firstname","value":"John"}]}}, answering {@code {"vid":n,"isNew":bool}}.
 */
final class LegacyContactHandler {
    private static final Set<String> BODY_FIELDS = Set.of("properties");
    private static final Set<String> ITEM_FIELDS = Set.of("property", "value");

    private final ContactStore contacts;
    private final PropertyValueRules rules;
    private final Clock clock;

    LegacyContactHandler(ContactStore contacts, PropertyValueRules rules, Clock clock) {
        this.contacts = Objects.requireNonNull(contacts);
        this.rules = Objects.requireNonNull(rules);
        this.clock = Objects.requireNonNull(clock);
    }

    ApiResponse handle(ApiRequest request, String email) {
        JsonBodyReader reader = new JsonBodyReader();
        Map<String, String> properties = read(reader, request.body());
        if (reader.hasProblems()) {
            return ErrorBodies.validation(reader.message());
        }
        List<PropertyError> errors = new ArrayList<>();
        if (!PropertyValueRules.isValidEmail(email.trim())) {
            errors.add(PropertyValueRules.invalidEmail(email));
        }
        properties.forEach((name, value) -> rules.check(name, value).ifPresent(errors::add));
        if (!errors.isEmpty()) {
            ObjectNode body = ErrorBodies.error("VALIDATION_ERROR", PropertyError.message(errors));
            body.set("validationResults", PropertyError.toJsonArray(errors));
            return ApiResponse.json(400, body);
        }
        Optional<String> owner = contacts.secondaryEmailOwner(email);
        if (owner.isPresent()) {
            return ApiResponse.json(409, ErrorBodies.error("CONFLICT", "Contact already exists. Existing ID: "
                    + owner.get()));
        }
        ContactStore.Written written = contacts.upsert(email, properties, clock.instant());
        ObjectNode body = JsonCodec.object();
        body.put("vid", Long.parseLong(written.contact().id()));
        body.put("isNew", written.created());
        return ApiResponse.json(200, body);
    }

    private static Map<String, String> read(JsonBodyReader reader, byte[] body) {
        Map<String, String> properties = new LinkedHashMap<>();
        JsonNode root = reader.parse(body);
        if (root == null || !reader.requireObject(root, "body")) {
            return properties;
        }
        reader.rejectUnknownFields(root, "", BODY_FIELDS);
        JsonNode array = root.get("properties");
        if (array == null || !array.isArray()) {
            reader.problem("properties: required array of {\"property\",\"value\"} is missing");
            return properties;
        }
        for (int i = 0; i < array.size(); i++) {
            String path = "properties[" + i + "]";
            JsonNode item = array.get(i);
            if (!reader.requireObject(item, path)) {
                continue;
            }
            reader.rejectUnknownFields(item, path, ITEM_FIELDS);
            String name = reader.requiredString(item, "property", path);
            JsonNode value = item.get("value");
            if (value == null || !(value.isTextual() || value.isNumber() || value.isBoolean())) {
                reader.problem(path + ".value: expected a string, number or boolean");
                continue;
            }
            if (name != null) {
                properties.put(name, value.asText());
            }
        }
        return properties;
    }
}
