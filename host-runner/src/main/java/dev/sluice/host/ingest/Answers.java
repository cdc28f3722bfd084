package dev.sluice.host.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the Events API's JSON answers. */
final class Answers {

    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private Answers() {
    }

    static void ok(HttpServerExchange exchange) {
        send(exchange, 200, OK);
    }

    /** {@code {"message":"...","error":""}} with this status. */
    static void error(HttpServerExchange exchange, int status, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("error", "");
        try {
            send(exchange, status, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Refuses a request with the rejection's status and message (a 413 also closes the connection). */
    static void reject(HttpServerExchange exchange, IngestRejection rejection) {
        if (rejection.status() == 400) {
            // A parser message may quote a piece of the body: keep it out of the logs.
            LOG.debug("Refused a request on {} with 400 (malformed body)", exchange.getRequestPath());
        } else {
            LOG.debug("Refused a request on {} with {}: {}", exchange.getRequestPath(), rejection.status(),
                    rejection.getMessage());
        }
        if (rejection.status() == 413) {
            // The rest of the body stays unread: do not keep the connection for another request.
            exchange.setPersistent(false);
        }
        error(exchange, rejection.status(), rejection.getMessage());
    }

    private static void send(HttpServerExchange exchange, int status, byte[] body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
