package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /events/{v3|2026-03}/send} and {@code .../send/batch}. Shape rules from HubSpot's
 * {@code BehavioralEventHttpCompletionRequest}; the event must be {@code pe{hubId}_...} and defined, its
 * properties must belong to the definition (at most 50). A batch with any bad occurrence is refused whole.
 * Success is 204 without a body.
 */
final class EventSendHandler {
    static final int MAX_PROPERTIES = 50;
    private static final Set<String> FIELDS = Set.of("eventName", "email", "utk", "objectId", "occurredAt", "uuid",
            "properties");

    private final long hubId;
    private final EventDefinitionRegistry definitions;
    private final EventLog log;
    private final EmulatorSettings settings;
    private final Clock clock;

    EventSendHandler(long hubId, EventDefinitionRegistry definitions, EventLog log, EmulatorSettings settings,
                     Clock clock) {
        this.hubId = hubId;
        this.definitions = Objects.requireNonNull(definitions);
        this.log = Objects.requireNonNull(log);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
    }

    static ApiResponse notEnterprise() {
        ObjectNode body = ErrorBodies.error("FORBIDDEN", "This portal does not have access to custom behavioral events:"
                + " sending event occurrences requires a Marketing, Sales, Service, Content, Data or Operations Hub"
                + " Enterprise subscription.");
        return ApiResponse.json(403, body);
    }

    ApiResponse send(ApiRequest request) {
        if (!settings.eventSendsAllowed()) {
            return notEnterprise();
        }
        JsonBodyReader reader = new JsonBodyReader();
        JsonNode root = reader.parse(request.body());
        if (root == null) {
            return ErrorBodies.validation(reader.message());
        }
        List<String> problems = new ArrayList<>();
        Optional<ReceivedEvent> event = check(root, "", problems, Endpoint.EVENTS_SEND.statsName());
        if (event.isEmpty()) {
            return failure(problems, List.of());
        }
        log.accept(event.get());
        return ApiResponse.noContent();
    }

    ApiResponse sendBatch(ApiRequest request) {
        if (!settings.eventSendsAllowed()) {
            return notEnterprise();
        }
        JsonBodyReader reader = new JsonBodyReader();
        JsonNode root = reader.parse(request.body());
        if (root == null || !reader.requireObject(root, "body")) {
            return ErrorBodies.validation(reader.message());
        }
        reader.rejectUnknownFields(root, "", Set.of("inputs"));
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            reader.problem("inputs: required array is missing");
        } else if (inputs.isEmpty()) {
            reader.problem("inputs: must contain at least one event occurrence");
        } else if (inputs.size() > settings.maxEventBatch()) {
            reader.problem("inputs: " + inputs.size() + " occurrences is too many; a batch may contain at most "
                    + settings.maxEventBatch());
        }
        if (reader.hasProblems()) {
            return ErrorBodies.validation(reader.message());
        }
        List<ReceivedEvent> accepted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            List<String> own = new ArrayList<>();
            check(inputs.get(i), "inputs[" + i + "]", own, Endpoint.EVENTS_SEND_BATCH.statsName())
                    .ifPresent(accepted::add);
            for (String problem : own) {
                problems.add(problem);
                where.add("inputs[" + i + "]");
            }
        }
        if (!problems.isEmpty()) {
            return failure(problems, where);
        }
        accepted.forEach(log::accept);
        return ApiResponse.noContent();
    }

    private static ApiResponse failure(List<String> problems, List<String> where) {
        ObjectNode body = ErrorBodies.error("VALIDATION_ERROR", problems.get(0));
        ArrayNode details = body.putArray("errors");
        for (int i = 0; i < problems.size(); i++) {
            ObjectNode detail = details.addObject();
            detail.put("message", problems.get(i));
            if (i < where.size()) {
                detail.put("in", where.get(i));
            }
        }
        return ApiResponse.json(400, body);
    }

    private Optional<ReceivedEvent> check(JsonNode node, String path, List<String> problems, String endpoint) {
        JsonBodyReader reader = new JsonBodyReader();
        String at = path.isEmpty() ? "body" : path;
        if (!reader.requireObject(node, at)) {
            problems.addAll(reader.problems());
            return Optional.empty();
        }
        reader.rejectUnknownFields(node, path, FIELDS);
        String eventName = reader.requiredString(node, "eventName", path);
        Map<String, String> properties = reader.requiredStringMap(node, "properties", path);
        String email = reader.optionalString(node, "email", path);
        String utk = reader.optionalString(node, "utk", path);
        String objectId = reader.optionalString(node, "objectId", path);
        String occurredAt = reader.optionalString(node, "occurredAt", path);
        String uuid = reader.optionalString(node, "uuid", path);
        String prefix = path.isEmpty() ? "" : path + ".";
        if (isBlank(email) && isBlank(utk) && isBlank(objectId)) {
            reader.problem(prefix + "email/utk/objectId: one of them must identify the contact");
        }
        if (!isBlank(email) && !PropertyValueRules.isValidEmail(email.trim())) {
            reader.problem(prefix + "email: Email address " + email + " is invalid");
        }
        if (occurredAt != null) {
            try {
                OffsetDateTime.parse(occurredAt);
            } catch (DateTimeParseException e) {
                reader.problem(prefix + "occurredAt: \"" + occurredAt + "\" is not an ISO-8601 date-time"
                        + " (e.g. 2026-01-20T21:14:16.512Z)");
            }
        }
        if (uuid != null && uuid.isBlank()) {
            reader.problem(prefix + "uuid: must not be blank");
        }
        if (eventName != null) {
            checkDefinition(eventName, properties, prefix, reader);
        }
        problems.addAll(reader.problems());
        if (reader.hasProblems()) {
            return Optional.empty();
        }
        String effectiveUuid = uuid != null ? uuid : UUID.randomUUID().toString();
        String when = occurredAt != null ? occurredAt : clock.instant().toString();
        return Optional.of(new ReceivedEvent(eventName, email, utk, objectId, when, effectiveUuid, properties,
                clock.instant(), endpoint));
    }

    private void checkDefinition(String eventName, Map<String, String> properties, String prefix,
                                 JsonBodyReader reader) {
        String expectedPrefix = "pe" + hubId + "_";
        if (!eventName.startsWith(expectedPrefix)
                || !EventDefinition.SHORT_NAME.matcher(eventName.substring(expectedPrefix.length())).matches()) {
            reader.problem(prefix + "eventName: \"" + eventName + "\" is not a fully qualified event name of this"
                    + " portal; expected " + expectedPrefix + "<name> (lower-case letters, digits, _ and -)");
            return;
        }
        Optional<EventDefinition> definition = definitions.find(eventName);
        if (definition.isEmpty()) {
            reader.problem(prefix + "eventName: event definition \"" + eventName + "\" does not exist in portal "
                    + hubId);
            return;
        }
        if (properties == null) {
            return;
        }
        if (properties.size() > MAX_PROPERTIES) {
            reader.problem(prefix + "properties: " + properties.size() + " properties is too many; an event"
                    + " occurrence may have at most " + MAX_PROPERTIES);
        }
        List<PropertyError> errors = new ArrayList<>();
        properties.forEach((name, value) -> {
            Optional<EventProperty> property = definition.get().property(name);
            if (property.isEmpty()) {
                errors.add(new PropertyError(name, "PROPERTY_DOESNT_EXIST", "Property \"" + name
                        + "\" does not exist"));
            } else if ("number".equals(property.get().type()) && !value.isEmpty() && !isNumber(value)) {
                errors.add(new PropertyError(name, "INVALID_INTEGER", value + " is not a valid number."));
            } else if ("enumeration".equals(property.get().type()) && !value.isEmpty()
                    && !property.get().options().isEmpty() && !property.get().options().contains(value)) {
                errors.add(new PropertyError(name, "INVALID_OPTION", value + " was not one of the allowed options: "
                        + property.get().options()));
            }
        });
        if (!errors.isEmpty()) {
            reader.problem(prefix.isEmpty() ? PropertyError.message(errors)
                    : prefix + "properties: " + PropertyError.message(errors));
        }
    }

    private static boolean isNumber(String value) {
        try {
            new java.math.BigDecimal(value.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
