package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the emulator answers to one request: a status, headers and a body, or a dropped connection.
 *
 * @param status      HTTP status (0 when {@code dropped})
 * @param contentType body type, null for no body
 * @param body        body bytes, empty for none
 * @param headers     extra response headers
 * @param dropped     close the connection without answering
 */
record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers, boolean dropped) {
    static final String JSON = "application/json;charset=utf-8";
    private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, JSON, JsonCodec.bytes(body), Map.of(), false);
    }

    static ApiResponse raw(int status, String contentType, byte[] body) {
        return new ApiResponse(status, contentType, body, Map.of(), false);
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, new byte[0], Map.of(), false);
    }

    static ApiResponse gif() {
        return new ApiResponse(200, "image/gif", GIF.clone(), Map.of(), false);
    }

    static ApiResponse drop() {
        return new ApiResponse(0, null, new byte[0], Map.of(), true);
    }

    ApiResponse withHeaders(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(extra);
        return new ApiResponse(status, contentType, body, merged, dropped);
    }
}
