package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/** {@code GET /crm/{v3|2026-03}/properties/contacts} ({@code {"results":[...]}}) and the legacy bare array. */
final class PropertyListHandler {
    private final PropertyCatalog catalog;

    PropertyListHandler(PropertyCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog);
    }

    ApiResponse list(String objectType) {
        if (!"contacts".equals(objectType) && !"contact".equals(objectType) && !"0-1".equals(objectType)) {
            return ApiResponse.json(400, ErrorBodies.error("VALIDATION_ERROR", "Unable to infer object type from: "
                    + objectType + " (the emulator serves contact properties only)"));
        }
        ObjectNode body = JsonCodec.object();
        body.set("results", catalog.toJsonArray());
        return ApiResponse.json(200, body);
    }

    /** v1 shape: the read-only flags sit at the top level of each property, without modificationMetadata. */
    ApiResponse legacyList() {
        ArrayNode array = JsonCodec.array();
        for (JsonNode property : catalog.toJsonArray()) {
            ObjectNode legacy = ((ObjectNode) property).deepCopy();
            JsonNode metadata = legacy.remove("modificationMetadata");
            legacy.put("readOnlyValue", metadata != null && metadata.path("readOnlyValue").asBoolean(false));
            legacy.put("readOnlyDefinition", metadata != null && metadata.path("readOnlyDefinition").asBoolean(false));
            array.add(legacy);
        }
        return ApiResponse.json(200, array);
    }
}
