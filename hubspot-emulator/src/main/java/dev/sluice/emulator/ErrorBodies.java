package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** HubSpot's error body shapes: {@code {"status":"error","message","correlationId","category",...}}. */
final class ErrorBodies {
    static final String NO_CREDENTIALS = "Authentication credentials not found. This API supports OAuth 2.0 authentication"
            + " and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";
    static final String INVALID_TOKEN = "Authentication credentials not found. The access token provided is not valid"
            + " for this portal (emulator: not in the accepted token list)";
    static final String API_KEY_REFUSED = "Authentication credentials not found. API keys (hapikey) are no longer"
            + " accepted since 2022-11-30: use a private app access token as Authorization: Bearer <token>";

    private ErrorBodies() {
    }

    static ObjectNode error(String category, String message) {
        ObjectNode body = JsonCodec.object();
        body.put("status", "error");
        body.put("message", message);
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("category", category);
        return body;
    }

    static ObjectNode withContext(ObjectNode body, Map<String, ? extends Collection<String>> context) {
        ObjectNode ctx = body.putObject("context");
        context.forEach((key, values) -> {
            ArrayNode array = ctx.putArray(key);
            values.forEach(array::add);
        });
        return body;
    }

    static ApiResponse unauthorized(String message) {
        return ApiResponse.json(401, error("INVALID_AUTHENTICATION", message));
    }

    static ApiResponse missingScopes(List<String> required) {
        ObjectNode body = error("MISSING_SCOPES", "This app hasn't been granted all required scopes to make this call."
                + " Read more about required scopes here: https://developers.hubspot.com/scopes.");
        withContext(body, Map.of("requiredScopes", required));
        return ApiResponse.json(403, body);
    }

    static ApiResponse rateLimited(RateLimitPolicy policy) {
        ObjectNode body = JsonCodec.object();
        body.put("status", "error");
        body.put("message", "You have reached your " + policy.messageName() + " limit.");
        body.put("errorType", "RATE_LIMIT");
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("policyName", policy.name());
        return ApiResponse.json(429, body);
    }

    static ApiResponse validation(String message) {
        return ApiResponse.json(400, error("VALIDATION_ERROR", message));
    }

    static ApiResponse notFound(String message) {
        return ApiResponse.json(404, error("OBJECT_NOT_FOUND", message));
    }
}
