package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The local admin and inspection API under {@code /_emulator}. No authentication: the emulator is a local
 * test double and binds to 127.0.0.1 by default.
 */
final class AdminApi {
    private final EmulatorComponents c;

    AdminApi(EmulatorComponents components) {
        this.c = Objects.requireNonNull(components);
    }

    ApiResponse handle(ApiRequest request) {
        String path = request.rawPath().replaceAll("/+$", "");
        String method = request.method();
        try {
            if (path.equals("/_emulator") || path.equals("/_emulator/health")) {
                ObjectNode body = JsonCodec.object();
                body.put("status", "ok");
                body.put("hubId", c.hubId());
                return ok(body);
            }
            if (path.equals("/_emulator/contacts") && method.equals("GET")) {
                return ok(listOf(c.contacts().all().stream().map(StoredContact::toJson).toList()));
            }
            if (path.equals("/_emulator/contacts/secondary-emails") && method.equals("POST")) {
                JsonNode body = body(request);
                String email = text(body, "email");
                String secondary = text(body, "secondaryEmail");
                return ApiResponse.json(201, c.contacts().addSecondaryEmail(email, secondary, c.clock().instant())
                        .toJson());
            }
            if (path.startsWith("/_emulator/contacts/") && method.equals("GET")) {
                String email = ApiRequest.decodePathSegment(path.substring("/_emulator/contacts/".length()));
                return c.contacts().byEmail(email)
                        .map(contact -> ok(contact.toJson()))
                        .orElseGet(() -> error(404, "No contact with email " + email));
            }
            if (path.equals("/_emulator/events") && method.equals("GET")) {
                return ok(listOf(c.events().events().stream().map(ReceivedEvent::toJson).toList()));
            }
            if (path.equals("/_emulator/pixel-events") && method.equals("GET")) {
                return ok(listOf(c.events().pixelHits().stream().map(PixelHit::toJson).toList()));
            }
            if (path.equals("/_emulator/requests") && method.equals("GET")) {
                List<RecordedRequest> all = c.journal().all();
                String limitParam = request.queryParam("limit");
                int limit = limitParam == null ? all.size() : Integer.parseInt(limitParam);
                List<RecordedRequest> shown = all.subList(Math.max(0, all.size() - limit), all.size());
                return ok(listOf(shown.stream().map(RecordedRequest::toJson).toList()));
            }
            if (path.equals("/_emulator/stats") && method.equals("GET")) {
                return ok(c.stats().toJson(c.events().duplicateUuids()));
            }
            if (path.equals("/_emulator/faults")) {
                return faults(request);
            }
            if (path.equals("/_emulator/settings")) {
                if (method.equals("POST")) {
                    applySettings(body(request));
                }
                return ok(c.settings().toJson());
            }
            if (path.equals("/_emulator/event-definitions")) {
                if (method.equals("POST")) {
                    return ApiResponse.json(201, c.definitions().add(body(request)).toJson(true));
                }
                return ok(listOf(c.definitions().all().stream().map(d -> d.toJson(true)).toList()));
            }
            if (path.equals("/_emulator/reset") && method.equals("POST")) {
                c.reset();
                ObjectNode body = JsonCodec.object();
                body.put("reset", true);
                return ok(body);
            }
            return error(404, "No admin endpoint " + method + " " + path + "; see docs/emulator.md");
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
    }

    private ApiResponse faults(ApiRequest request) {
        switch (request.method()) {
            case "GET":
                return ok(c.faults().toJson());
            case "DELETE":
                c.faults().clear();
                return ok(c.faults().toJson());
            case "POST":
                JsonNode body = body(request);
                List<String> ids = new ArrayList<>();
                if (body.isArray()) {
                    body.forEach(f -> ids.add(addFault(f)));
                } else {
                    ids.add(addFault(body));
                }
                ObjectNode answer = JsonCodec.object();
                ArrayNode array = answer.putArray("ids");
                ids.forEach(array::add);
                answer.set("active", c.faults().toJson());
                return ApiResponse.json(201, answer);
            default:
                return error(405, "Use GET, POST or DELETE on /_emulator/faults");
        }
    }

    /**
     * {@code {"type":"fail|drop|latency|ignoreBody","count":N,"seconds":T,"status":503,"body":..,
     * "headers":{..},"path":"regex","millis":M}}.
     */
    private String addFault(JsonNode f) {
        if (!f.isObject()) {
            throw new IllegalArgumentException("A fault must be a JSON object");
        }
        String type = text(f, "type");
        Long count = f.hasNonNull("count") ? f.get("count").asLong() : null;
        Instant until = f.hasNonNull("seconds")
                ? c.clock().instant().plus(Duration.ofMillis((long) (f.get("seconds").asDouble() * 1000)))
                : null;
        if (count != null && count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        String path = f.hasNonNull("path") ? f.get("path").asText() : null;
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> h : f.path("headers").properties()) {
            headers.put(h.getKey(), h.getValue().asText());
        }
        String body = null;
        if (f.hasNonNull("body")) {
            body = f.get("body").isTextual() ? f.get("body").asText() : JsonCodec.text(f.get("body"));
        }
        Long defaultCount = until == null ? Long.valueOf(1) : null;
        switch (type) {
            case "fail":
            case "respond":
                if (!f.hasNonNull("status")) {
                    throw new IllegalArgumentException("A fail fault needs a status");
                }
                return c.faults().add(FaultInjector.Kind.RESPOND, path, f.get("status").asInt(), body, headers, 0,
                        count != null ? count : defaultCount, until);
            case "drop":
                return c.faults().add(FaultInjector.Kind.DROP, path, 0, null, Map.of(), 0,
                        count != null ? count : defaultCount, until);
            case "latency":
                if (!f.hasNonNull("millis")) {
                    throw new IllegalArgumentException("A latency fault needs millis");
                }
                return c.faults().add(FaultInjector.Kind.LATENCY, path, 0, null, Map.of(), f.get("millis").asLong(),
                        count, until);
            case "ignoreBody":
                return c.faults().add(FaultInjector.Kind.IGNORE_BODY, path, 0, null, Map.of(), 0,
                        count != null ? count : defaultCount, until);
            default:
                throw new IllegalArgumentException("Unknown fault type \"" + type
                        + "\"; use fail, drop, latency or ignoreBody");
        }
    }

    private void applySettings(JsonNode s) {
        EmulatorSettings settings = c.settings();
        if (s.has("multiStatus")) {
            settings.multiStatus(s.get("multiStatus").asBoolean());
        }
        if (s.has("rateLimit")) {
            settings.rateLimit(s.get("rateLimit").asInt());
        }
        if (s.has("dailyLimit")) {
            settings.dailyLimit(s.get("dailyLimit").asLong());
        }
        if (s.has("eventSendsAllowed")) {
            settings.eventSendsAllowed(s.get("eventSendsAllowed").asBoolean());
        }
        if (s.has("eventSendsRateLimited")) {
            settings.eventSendsRateLimited(s.get("eventSendsRateLimited").asBoolean());
        }
        if (s.has("maxEventBatch")) {
            settings.maxEventBatch(s.get("maxEventBatch").asInt());
        }
        if (s.has("acceptedTokens")) {
            List<String> tokens = new ArrayList<>();
            s.get("acceptedTokens").forEach(t -> tokens.add(t.asText()));
            settings.acceptedTokens(tokens);
        }
        for (Map.Entry<String, JsonNode> entry : s.path("tokenScopes").properties()) {
            List<String> scopes = new ArrayList<>();
            entry.getValue().forEach(scope -> scopes.add(scope.asText()));
            settings.grantScopes(entry.getKey(), scopes);
        }
    }

    private static JsonNode body(ApiRequest request) {
        try {
            JsonNode node = JsonCodec.MAPPER.readTree(request.body());
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("A JSON body is required");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Invalid JSON body: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" (text) is required");
        }
        return value.asText();
    }

    private static ObjectNode listOf(List<ObjectNode> items) {
        ObjectNode body = JsonCodec.object();
        body.put("total", items.size());
        ArrayNode results = body.putArray("results");
        items.forEach(results::add);
        return body;
    }

    private static ApiResponse ok(JsonNode body) {
        return ApiResponse.json(200, body);
    }

    private static ApiResponse error(int status, String message) {
        ObjectNode body = JsonCodec.object();
        body.put("error", message);
        return ApiResponse.json(status, body);
    }
}
