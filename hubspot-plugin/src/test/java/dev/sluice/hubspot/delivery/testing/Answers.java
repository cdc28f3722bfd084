package dev.sluice.hubspot.delivery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

import java.io.UncheckedIOException;
import java.util.List;

/** HubSpot's answers as the reference describes them, and request-body reading, for tests. */
public final class Answers {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {
    }

    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    public static MockResponse noContent() {
        return new MockResponse.Builder().code(204).build();
    }

    /** A 200 batch upsert answer with one result per input of the request. */
    public static MockResponse upsertCompleted(RecordedRequest request) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", "COMPLETE");
        ArrayNode results = root.putArray("results");
        int id = 100;
        for (JsonNode input : body(request).path("inputs")) {
            ObjectNode result = results.addObject();
            result.put("id", String.valueOf(id++));
            result.put("new", true);
            result.put("archived", false);
            result.put("createdAt", "2026-01-20T21:14:16.512Z");
            result.put("updatedAt", "2026-01-20T21:14:16.512Z");
            result.put("objectWriteTraceId", input.path("objectWriteTraceId").asText());
            result.set("properties", input.path("properties").deepCopy());
        }
        root.put("startedAt", "2026-01-20T21:14:16.000Z");
        root.put("completedAt", "2026-01-20T21:14:16.512Z");
        return json(200, root.toString());
    }

    public static MockResponse validationError(String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", "error");
        root.put("message", message);
        root.put("correlationId", "aeb5f871-7f07-4993-9211-075dc63e7cbf");
        root.put("category", "VALIDATION_ERROR");
        return json(400, root.toString());
    }

    public static JsonNode body(RecordedRequest request) {
        try {
            return JSON.readTree(request.getBody() == null ? "" : request.getBody().utf8());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code id}s of a batch upsert request, in order. */
    public static List<String> inputIds(RecordedRequest request) {
        return java.util.stream.StreamSupport.stream(body(request).path("inputs").spliterator(), false)
                .map(input -> input.path("id").asText()).toList();
    }
}
