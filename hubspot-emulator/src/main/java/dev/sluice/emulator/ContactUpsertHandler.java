package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /crm/v3/objects/contacts/batch/upsert} and {@code /crm/objects/2026-03/contacts/batch/upsert}.
 * Shape rules come from HubSpot's {@code BatchInputSimplePublicObjectBatchInputUpsert} schema; value rules from
 * the property catalog. Without multi-status mode, any bad input fails the whole batch and nothing is written.
 */
final class ContactUpsertHandler {
    static final int MAX_INPUTS = 100;
    private static final Set<String> BODY_FIELDS = Set.of("inputs");
    private static final Set<String> INPUT_FIELDS = Set.of("id", "idProperty", "objectWriteTraceId", "properties");

    private final ContactStore contacts;
    private final PropertyValueRules rules;
    private final EmulatorSettings settings;
    private final Clock clock;

    ContactUpsertHandler(ContactStore contacts, PropertyValueRules rules, EmulatorSettings settings, Clock clock) {
        this.contacts = Objects.requireNonNull(contacts);
        this.rules = Objects.requireNonNull(rules);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
    }

    private record Input(int index, String id, String idProperty, String traceId, Map<String, String> properties) {
    }

    /** Why one input cannot be written: invalid property values, or a 409 conflict. */
    private record Failure(Input input, List<PropertyError> propertyErrors, String conflictMessage, String other) {
        String category() {
            return conflictMessage != null ? "CONFLICT" : "VALIDATION_ERROR";
        }

        String message() {
            if (conflictMessage != null) {
                return conflictMessage;
            }
            return other != null ? other : PropertyError.message(propertyErrors);
        }
    }

    ApiResponse handle(ApiRequest request) {
        Instant startedAt = clock.instant();
        JsonBodyReader reader = new JsonBodyReader();
        List<Input> inputs = readInputs(reader, request.body());
        if (reader.hasProblems()) {
            return ErrorBodies.validation(reader.message());
        }
        if (inputs.size() > MAX_INPUTS) {
            return ErrorBodies.validation("Batch of " + inputs.size() + " inputs is too large: a batch may contain at most "
                    + MAX_INPUTS + " inputs");
        }
        Set<String> duplicates = duplicateIds(inputs);
        if (!duplicates.isEmpty()) {
            return ErrorBodies.validation("Duplicate IDs found in batch input: " + List.copyOf(duplicates)
                    + ". IDs must be unique");
        }

        List<Failure> failures = new ArrayList<>();
        List<Input> good = new ArrayList<>();
        for (Input input : inputs) {
            Optional<Failure> failure = check(input);
            if (failure.isPresent()) {
                failures.add(failure.get());
            } else {
                good.add(input);
            }
        }
        if (!failures.isEmpty() && !settings.multiStatus()) {
            return wholeBatchFailure(failures);
        }
        ArrayNode results = JsonCodec.array();
        for (Input input : good) {
            results.add(write(input));
        }
        ObjectNode body = JsonCodec.object();
        body.put("status", "COMPLETE");
        body.set("results", results);
        if (!failures.isEmpty()) {
            body.put("numErrors", failures.size());
            ArrayNode errors = body.putArray("errors");
            failures.forEach(f -> errors.add(standardError(f)));
        }
        body.put("startedAt", startedAt.toString());
        body.put("completedAt", clock.instant().toString());
        return ApiResponse.json(failures.isEmpty() ? 200 : 207, body);
    }

    private List<Input> readInputs(JsonBodyReader reader, byte[] body) {
        JsonNode root = reader.parse(body);
        List<Input> inputs = new ArrayList<>();
        if (root == null || !reader.requireObject(root, "body")) {
            return inputs;
        }
        reader.rejectUnknownFields(root, "", BODY_FIELDS);
        JsonNode array = root.get("inputs");
        if (array == null || array.isNull()) {
            reader.problem("inputs: required field is missing");
            return inputs;
        }
        if (!array.isArray()) {
            reader.problem("inputs: expected an array");
            return inputs;
        }
        for (int i = 0; i < array.size(); i++) {
            String path = "inputs[" + i + "]";
            JsonNode node = array.get(i);
            if (!reader.requireObject(node, path)) {
                continue;
            }
            reader.rejectUnknownFields(node, path, INPUT_FIELDS);
            String id = reader.requiredString(node, "id", path);
            String idProperty = reader.optionalString(node, "idProperty", path);
            String traceId = reader.optionalString(node, "objectWriteTraceId", path);
            Map<String, String> properties = reader.requiredStringMap(node, "properties", path);
            if (idProperty != null && !"email".equals(idProperty)) {
                reader.problem(path + ".idProperty: \"" + idProperty + "\" is not supported by the emulator;"
                        + " use \"email\" (or omit it to address a record id)");
            }
            if (id != null && id.isBlank()) {
                reader.problem(path + ".id: must not be blank");
            }
            if (id != null && properties != null) {
                inputs.add(new Input(i, id, idProperty, traceId, properties));
            }
        }
        return inputs;
    }

    private static Set<String> duplicateIds(List<Input> inputs) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (Input input : inputs) {
            String key = "email".equals(input.idProperty()) ? ContactStore.key(input.id()) : input.id();
            if (!seen.add(key)) {
                duplicates.add(key);
            }
        }
        return duplicates;
    }

    private Optional<Failure> check(Input input) {
        List<PropertyError> errors = new ArrayList<>();
        if ("email".equals(input.idProperty()) && !PropertyValueRules.isValidEmail(input.id().trim())) {
            errors.add(PropertyValueRules.invalidEmail(input.id()));
        }
        input.properties().forEach((name, value) -> rules.check(name, value).ifPresent(errors::add));
        if (!errors.isEmpty()) {
            return Optional.of(new Failure(input, errors, null, null));
        }
        if (input.idProperty() == null && contacts.byId(input.id()).isEmpty()) {
            return Optional.of(new Failure(input, List.of(), null, "No contact with id " + input.id()
                    + " exists; to create contacts by email set idProperty to \"email\""));
        }
        if ("email".equals(input.idProperty())) {
            Optional<String> owner = contacts.secondaryEmailOwner(input.id());
            if (owner.isPresent()) {
                return Optional.of(new Failure(input, List.of(), "Contact already exists. Existing ID: " + owner.get(),
                        null));
            }
        }
        return Optional.empty();
    }

    private ObjectNode write(Input input) {
        String email = "email".equals(input.idProperty())
                ? input.id()
                : contacts.byId(input.id()).map(StoredContact::email).orElseThrow();
        ContactStore.Written written = contacts.upsert(email, input.properties(), clock.instant());
        StoredContact contact = written.contact();
        ObjectNode result = JsonCodec.object();
        result.put("id", contact.id());
        result.put("new", written.created());
        ObjectNode props = result.putObject("properties");
        contact.properties().forEach(props::put);
        result.put("createdAt", contact.createdAt().toString());
        result.put("updatedAt", contact.updatedAt().toString());
        result.put("archived", false);
        if (input.traceId() != null) {
            result.put("objectWriteTraceId", input.traceId());
        }
        return result;
    }

    private static ApiResponse wholeBatchFailure(List<Failure> failures) {
        List<Failure> invalid = failures.stream().filter(f -> f.conflictMessage() == null).toList();
        List<Failure> reported = invalid.isEmpty() ? failures : invalid;
        String message;
        String category;
        int status;
        if (invalid.isEmpty()) {
            message = reported.get(0).message();
            category = "CONFLICT";
            status = 409;
        } else {
            List<PropertyError> all = new ArrayList<>();
            reported.forEach(f -> all.addAll(f.propertyErrors()));
            message = all.isEmpty() ? reported.get(0).message() : PropertyError.message(all);
            category = "VALIDATION_ERROR";
            status = 400;
        }
        ObjectNode body = ErrorBodies.error(category, message);
        Map<String, List<String>> context = new LinkedHashMap<>();
        List<String> traceIds = reported.stream().map(f -> f.input().traceId()).filter(Objects::nonNull).toList();
        if (!traceIds.isEmpty()) {
            context.put("objectWriteTraceId", traceIds);
        }
        context.put("ids", reported.stream().map(f -> f.input().id()).toList());
        ErrorBodies.withContext(body, context);
        ArrayNode details = body.putArray("errors");
        for (Failure failure : reported) {
            ObjectNode detail = details.addObject();
            detail.put("message", failure.message());
            detail.put("in", "inputs[" + failure.input().index() + "]");
            if (!failure.propertyErrors().isEmpty()) {
                detail.put("code", failure.propertyErrors().get(0).code());
            }
            ObjectNode detailContext = detail.putObject("context");
            detailContext.putArray("id").add(failure.input().id());
            if (failure.input().traceId() != null) {
                detailContext.putArray("objectWriteTraceId").add(failure.input().traceId());
            }
        }
        return ApiResponse.json(status, body);
    }

    private static ObjectNode standardError(Failure failure) {
        ObjectNode error = JsonCodec.object();
        error.put("status", "error");
        error.put("category", failure.category());
        error.put("message", failure.message());
        ObjectNode context = error.putObject("context");
        if (failure.input().traceId() != null) {
            context.putArray("objectWriteTraceId").add(failure.input().traceId());
        }
        ArrayNode details = error.putArray("errors");
        failure.propertyErrors().forEach(pe -> {
            ObjectNode detail = details.addObject();
            detail.put("message", pe.message());
            detail.put("code", pe.code());
            detail.putObject("context").putArray("propertyName").add(pe.name());
        });
        error.putObject("links");
        return error;
    }
}
