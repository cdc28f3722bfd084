package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request as the emulator saw it. The Authorization header is left out and a {@code hapikey} query value
 * is masked, so recordings never hold credentials.
 *
 * @param at       arrival time
 * @param method   HTTP method
 * @param path     raw path
 * @param query    decoded query parameters
 * @param headers  headers by lower-case name, without Authorization
 * @param body     body as UTF-8 text
 * @param status   answered status, 0 for a dropped connection
 * @param endpoint endpoint name as in the stats (e.g. {@code contacts.batchUpsert})
 * @param token    token label ({@code sha256:...}) or {@code none}
 */
public record RecordedRequest(Instant at, String method, String path, Map<String, List<String>> query,
                              Map<String, String> headers, String body, int status, String endpoint, String token) {
    public RecordedRequest {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public boolean dropped() {
        return status == 0;
    }

    ObjectNode toJson() {
        ObjectNode json = JsonCodec.object();
        json.put("at", at.toString());
        json.put("method", method);
        json.put("path", path);
        ObjectNode q = json.putObject("query");
        query.forEach((name, values) -> {
            ArrayNode array = q.putArray(name);
            values.forEach(array::add);
        });
        ObjectNode h = json.putObject("headers");
        headers.forEach(h::put);
        json.put("body", body);
        json.put("status", status);
        json.put("dropped", dropped());
        json.put("endpoint", endpoint);
        json.put("token", token);
        return json;
    }
}
