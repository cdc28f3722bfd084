package dev.sluice.hubspot.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.hubspot.delivery.testing.Answers;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A happy HubSpot on a MockWebServer: answers the property list, the event definitions, batch
 * upserts (one result per input), event batches (204), legacy createOrUpdate and the pixel, and
 * counts calls per endpoint (paths with the email or query left out).
 */
public final class FakeHubSpot extends Dispatcher {

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final String properties = resource("/contacts/contact-properties.json");
    private final String definitions = resource("/events/event-definitions.json");

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String endpoint = request.getMethod() + " " + (path.startsWith("/contacts/v1/contact/createOrUpdate/email/")
                ? "/contacts/v1/contact/createOrUpdate/email/{email}/" : path);
        calls.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
        if (request.getMethod().equals("GET") && path.matches("/crm/(properties/2026-03|v3/properties)/contacts")) {
            return Answers.json(200, properties);
        }
        if (request.getMethod().equals("GET") && path.equals("/properties/v1/contacts/properties")) {
            return Answers.json(200, Answers.tree(properties).path("results").toString());
        }
        if (request.getMethod().equals("GET") && path.matches("/events/(2026-03|v3)/event-definitions")) {
            return Answers.json(200, definitions);
        }
        if (path.endsWith("/contacts/batch/upsert")) {
            return Answers.upsertCompleted(request);
        }
        if (path.endsWith("/send/batch")) {
            return Answers.noContent();
        }
        if (path.startsWith("/contacts/v1/contact/createOrUpdate/email/")) {
            return Answers.json(200, "{\"vid\":3234574,\"isNew\":false}");
        }
        if (path.equals("/v1/event")) {
            return new MockResponse.Builder().code(200).addHeader("Content-Type", "image/gif").body("GIF89a").build();
        }
        return Answers.json(404, "{\"status\":\"error\",\"message\":\"no such endpoint in FakeHubSpot\",\"category\":\"OBJECT_NOT_FOUND\"}");
    }

    /** Calls per endpoint, sorted by endpoint. */
    public Map<String, Long> calls() {
        Map<String, Long> copy = new TreeMap<>();
        calls.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    public long total() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    static JsonNode json(String text) {
        return Answers.tree(text);
    }

    private static String resource(String name) {
        try (InputStream in = Objects.requireNonNull(FakeHubSpot.class.getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
