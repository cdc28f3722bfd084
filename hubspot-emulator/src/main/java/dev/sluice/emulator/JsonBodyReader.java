package dev.sluice.emulator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON request body and checks field shapes, collecting problems that name the field path
 * (e.g. {@code inputs[2].properties.seats}).
 */
final class JsonBodyReader {
    private final List<String> problems = new ArrayList<>();

    /** Parses the body; on failure returns null and records HubSpot's "Invalid input JSON" problem. */
    JsonNode parse(byte[] body) {
        if (body.length == 0) {
            problems.add("Invalid input JSON: the request body is empty");
            return null;
        }
        try {
            JsonNode node = JsonCodec.MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                problems.add("Invalid input JSON: the request body is empty");
                return null;
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.add("Invalid input JSON on line " + (at == null ? "?" : at.getLineNr()) + ", column "
                    + (at == null ? "?" : at.getColumnNr()) + ": " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            problems.add("Invalid input JSON: " + e.getMessage());
            return null;
        }
    }

    boolean requireObject(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            problems.add(path + ": expected a JSON object" + found(node));
            return false;
        }
        return true;
    }

    void rejectUnknownFields(JsonNode object, String path, Set<String> known) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                problems.add(prefix(path) + field + ": unknown field; allowed fields are " + known);
            }
        }
    }

    /** A required string field, or null after recording the problem. */
    String requiredString(JsonNode object, String field, String path) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            problems.add(prefix(path) + field + ": required field is missing");
            return null;
        }
        if (!value.isTextual()) {
            problems.add(prefix(path) + field + ": expected a string" + found(value));
            return null;
        }
        return value.asText();
    }

    /** An optional string field: null when absent, records a problem when it is not a string. */
    String optionalString(JsonNode object, String field, String path) {
        JsonNode value = object.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(prefix(path) + field + ": expected a string" + found(value));
            return null;
        }
        return value.asText();
    }

    /** A required object of string values, or null after recording the problems. */
    Map<String, String> requiredStringMap(JsonNode object, String field, String path) {
        JsonNode value = object.get(field);
        String here = prefix(path) + field;
        if (value == null || value.isNull()) {
            problems.add(here + ": required field is missing");
            return null;
        }
        if (!value.isObject()) {
            problems.add(here + ": expected an object of string values" + found(value));
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                problems.add(here + "." + entry.getKey() + ": expected a string value" + found(entry.getValue()));
                ok = false;
            } else {
                map.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return ok ? map : null;
    }

    void problem(String message) {
        problems.add(message);
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** All problems in one message, at most ten listed. */
    String message() {
        List<String> shown = problems.size() > 10 ? problems.subList(0, 10) : problems;
        String text = String.join("; ", shown);
        return problems.size() > 10 ? text + "; and " + (problems.size() - 10) + " more" : text;
    }

    private static String prefix(String path) {
        return path.isEmpty() ? "" : path + ".";
    }

    private static String found(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "";
        }
        return ", got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
