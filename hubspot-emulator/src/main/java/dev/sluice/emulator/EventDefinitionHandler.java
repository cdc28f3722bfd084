package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code GET /events/{v3|2026-03}/event-definitions} (query {@code includeProperties}, {@code limit},
 * {@code after}, {@code searchString}) answering {@code {"results":[...],"total":n,"paging":{"next":{"after"}}}},
 * and {@code GET .../event-definitions/{eventName}}.
 */
final class EventDefinitionHandler {
    static final int DEFAULT_LIMIT = 100;
    private final EventDefinitionRegistry definitions;

    EventDefinitionHandler(EventDefinitionRegistry definitions) {
        this.definitions = Objects.requireNonNull(definitions);
    }

    ApiResponse list(ApiRequest request) {
        boolean includeProperties = "true".equalsIgnoreCase(request.queryParam("includeProperties"));
        int limit;
        int offset;
        try {
            limit = request.queryParam("limit") == null ? DEFAULT_LIMIT : Integer.parseInt(request.queryParam("limit"));
            offset = request.queryParam("after") == null ? 0 : Integer.parseInt(request.queryParam("after"));
        } catch (NumberFormatException e) {
            return ErrorBodies.validation("limit and after must be integers: " + e.getMessage());
        }
        if (limit < 1 || offset < 0) {
            return ErrorBodies.validation("limit must be at least 1 and after must not be negative");
        }
        String search = request.queryParam("searchString");
        List<EventDefinition> matching = definitions.all().stream()
                .filter(d -> search == null || search.isEmpty()
                        || d.name().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT))
                        || d.label().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT)))
                .toList();
        if ("DESC".equalsIgnoreCase(request.queryParam("sortOrder"))) {
            List<EventDefinition> reversed = new java.util.ArrayList<>(matching);
            java.util.Collections.reverse(reversed);
            matching = reversed;
        }
        ObjectNode body = JsonCodec.object();
        ArrayNode results = body.putArray("results");
        int end = Math.min(matching.size(), offset + limit);
        for (int i = offset; i < end; i++) {
            results.add(matching.get(i).toJson(includeProperties));
        }
        body.put("total", matching.size());
        if (end < matching.size()) {
            ObjectNode next = body.putObject("paging").putObject("next");
            next.put("after", Integer.toString(end));
            next.put("link", request.rawPath() + "?after=" + end + "&limit=" + limit
                    + (includeProperties ? "&includeProperties=true" : ""));
        }
        return ApiResponse.json(200, body);
    }

    ApiResponse get(String eventName) {
        return definitions.find(eventName)
                .map(d -> ApiResponse.json(200, d.toJson(true)))
                .orElseGet(() -> ErrorBodies.notFound("Event definition " + eventName + " was not found"));
    }
}
