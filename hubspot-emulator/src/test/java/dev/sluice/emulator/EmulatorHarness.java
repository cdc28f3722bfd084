package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/** Starts an emulator on a free loopback port with a manual clock, and talks to it over HTTP. */
abstract class EmulatorHarness {
    static final String TOKEN = "pat-na1-test-token";
    static final Instant START = Instant.parse("2026-01-20T10:00:00Z");
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType JSON = MediaType.get("application/json");

    final ManualClock clock = new ManualClock(START);
    final OkHttpClient http = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .callTimeout(Duration.ofSeconds(5))
            .build();
    HubSpotEmulator emulator;

    /** A reply as read by the test. */
    record Reply(int code, String body, okhttp3.Headers headers) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    HubSpotEmulator.Builder configure(HubSpotEmulator.Builder builder) {
        return builder;
    }

    @BeforeEach
    void startEmulator() {
        emulator = configure(HubSpotEmulator.builder().clock(clock)).build().start();
    }

    @AfterEach
    void stopEmulator() {
        emulator.stop();
    }

    Reply post(String path, String json) {
        return post(path, json, TOKEN);
    }

    Reply post(String path, String json, String token) {
        Request.Builder request = new Request.Builder().url(emulator.baseUrl() + path)
                .post(RequestBody.create(json, JSON));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return execute(request.build());
    }

    Reply get(String path) {
        return get(path, TOKEN);
    }

    Reply get(String path, String token) {
        Request.Builder request = new Request.Builder().url(emulator.baseUrl() + path);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return execute(request.build());
    }

    Reply delete(String path) {
        return execute(new Request.Builder().url(emulator.baseUrl() + path).delete().build());
    }

    Reply execute(Request request) {
        try (Response response = http.newCall(request).execute()) {
            return new Reply(response.code(), response.body().string(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String upsertPath(String version) {
        return "v3".equals(version) ? "/crm/v3/objects/contacts/batch/upsert"
                : "/crm/objects/" + version + "/contacts/batch/upsert";
    }

    /** One upsert input by email, properties as JSON object text. */
    static String input(String email, String traceId, String propertiesJson) {
        return "{\"id\":\"" + email + "\",\"idProperty\":\"email\",\"objectWriteTraceId\":\"" + traceId
                + "\",\"properties\":" + propertiesJson + "}";
    }

    static String inputs(String... inputs) {
        return "{\"inputs\":[" + String.join(",", inputs) + "]}";
    }

    /** The JSON array embedded in HubSpot's "Property values were not valid: [...]" message. */
    static JsonNode embeddedErrors(String message) {
        assert message.startsWith(PropertyError.PREFIX) : message;
        try {
            return MAPPER.readTree(message.substring(PropertyError.PREFIX.length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
