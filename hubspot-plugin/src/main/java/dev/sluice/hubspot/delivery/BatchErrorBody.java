package dev.sluice.hubspot.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.hubspot.http.HubSpotResponse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what a batch answer says about its inputs: HubSpot's message, the {@code errors[]} of a 207
 * with the trace ids that tie them to inputs, and the names of properties HubSpot does not know
 * ({@code PROPERTY_DOESNT_EXIST}, which HubSpot embeds as a JSON array inside the message text).
 */
public final class BatchErrorBody {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 1000;
    public static final String PROPERTY_DOESNT_EXIST = "PROPERTY_DOESNT_EXIST";

    /** One item of a 207's {@code errors[]}. */
    public record ItemError(String category, String message, Optional<Integer> status, List<String> traceIds,
                            List<String> ids, Set<String> unknownProperties) {
    }

    private BatchErrorBody() {
    }

    public static Optional<JsonNode> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** HubSpot's message, or the status when the body has none; never longer than 1000 characters. */
    public static String message(HubSpotResponse response) {
        String text = parse(response.body()).map(node -> node.path("message").asText(""))
                .filter(m -> !m.isBlank())
                .orElse("HTTP " + response.status());
        String category = parse(response.body()).map(node -> node.path("category").asText("")).orElse("");
        String full = "HubSpot " + response.status() + (category.isEmpty() ? "" : " " + category) + ": " + text;
        return truncate(full);
    }

    public static String truncate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }

    /** The {@code errors[]} of a batch answer. */
    public static List<ItemError> itemErrors(JsonNode body) {
        List<ItemError> items = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            Optional<Integer> status = error.path("status").isMissingNode() || error.path("status").isNull()
                    ? Optional.empty()
                    : parseStatus(error.path("status").asText());
            items.add(new ItemError(error.path("category").asText(""), error.path("message").asText(""), status,
                    texts(error.path("context").path("objectWriteTraceId")), texts(error.path("context").path("ids")),
                    unknownProperties(error)));
        }
        return items;
    }

    /**
     * Names of properties reported as {@code PROPERTY_DOESNT_EXIST}, found in objects with
     * {@code "error":"PROPERTY_DOESNT_EXIST","name":...} anywhere in the tree, including JSON arrays
     * embedded in text such as {@code "Property values were not valid: [{...}]"}.
     */
    public static Set<String> unknownProperties(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        collectUnknown(node, names, 0);
        return names;
    }

    private static void collectUnknown(JsonNode node, Set<String> names, int depth) {
        if (node == null || depth > 8) {
            return;
        }
        if (node.isObject()) {
            if (PROPERTY_DOESNT_EXIST.equals(node.path("error").asText()) && node.path("name").isTextual()) {
                names.add(node.path("name").asText());
            }
            node.forEach(child -> collectUnknown(child, names, depth + 1));
        } else if (node.isArray()) {
            node.forEach(child -> collectUnknown(child, names, depth + 1));
        } else if (node.isTextual() && node.asText().contains(PROPERTY_DOESNT_EXIST)) {
            String text = node.asText();
            int start = text.indexOf('[');
            int end = text.lastIndexOf(']');
            if (start >= 0 && end > start) {
                parse(text.substring(start, end + 1)).ifPresent(embedded -> collectUnknown(embedded, names, depth + 1));
            }
        }
    }

    private static Optional<Integer> parseStatus(String text) {
        try {
            return Optional.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> values.add(v.asText()));
        } else if (array.isTextual()) {
            values.add(array.asText());
        }
        return values;
    }
}
