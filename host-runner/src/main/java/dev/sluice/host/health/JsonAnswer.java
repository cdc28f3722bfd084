package dev.sluice.host.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the JSON answers of the health and stats endpoints; never cached, no body on HEAD. */
final class JsonAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonAnswer() {
    }

    static void send(HttpServerExchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.length);
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    /** {@code {"message":"...","error":""}}, the Events API's error shape. */
    static void error(HttpServerExchange exchange, int status, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("error", "");
        send(exchange, status, body);
    }

    /** True for GET and HEAD; otherwise answers 405 with an {@code Allow} header. */
    static boolean readOnly(HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD)) {
            return true;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        error(exchange, 405, "Method " + exchange.getRequestMethod() + " is not allowed on "
                + exchange.getRequestPath() + ": use GET");
        return false;
    }
}
