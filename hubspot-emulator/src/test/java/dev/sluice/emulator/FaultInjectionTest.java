package dev.sluice.emulator;

import okhttp3.Request;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultInjectionTest extends EmulatorHarness {
    private static final String ONE = inputs(input("a@example.com", "t1", "{\"firstname\":\"A\"}"));
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();

    @Override
    HubSpotEmulator.Builder configure(HubSpotEmulator.Builder builder) {
        return builder.sleeper(sleeps::add);
    }

    @Test
    void failsTheNextNRequestsThenRecovers() {
        emulator.faults().failNext(2, 503);

        Reply first = post(upsertPath("v3"), ONE);
        Reply second = post(upsertPath("v3"), ONE);
        Reply third = post(upsertPath("v3"), ONE);

        assertThat(first.code()).isEqualTo(503);
        assertThat(first.json().get("status").asText()).isEqualTo("error");
        assertThat(second.code()).isEqualTo(503);
        assertThat(third.code()).isEqualTo(200);
        assertThat(emulator.faults().active()).isEmpty();
        assertThat(emulator.stats().count("contacts.batchUpsert", 503)).isEqualTo(2);
    }

    @Test
    void failsOnlyMatchingPathsWithGivenBodyOverAdminApi() {
        Reply added = post("/_emulator/faults", "{\"type\":\"fail\",\"count\":1,\"status\":423,"
                + "\"path\":\"/events/\",\"body\":{\"status\":\"error\",\"message\":\"locked\"},"
                + "\"headers\":{\"Retry-After\":\"2\"}}", null);

        Reply properties = get("/crm/v3/properties/contacts");
        Reply send = post("/events/v3/send", EventSendTest.PURCHASE);

        assertThat(added.code()).isEqualTo(201);
        assertThat(added.json().at("/ids/0").asText()).startsWith("fault-");
        assertThat(properties.code()).isEqualTo(200);
        assertThat(send.code()).isEqualTo(423);
        assertThat(send.json().get("message").asText()).isEqualTo("locked");
        assertThat(send.header("Retry-After")).isEqualTo("2");
    }

    @Test
    void failsEverythingForADurationOnTheEmulatorClock() {
        post("/_emulator/faults", "{\"type\":\"fail\",\"status\":502,\"seconds\":5}", null);

        Reply during = get("/crm/v3/properties/contacts");
        clock.advance(Duration.ofSeconds(4));
        Reply stillDuring = post(upsertPath("v3"), ONE);
        clock.advance(Duration.ofSeconds(1));
        Reply after = get("/crm/v3/properties/contacts");

        assertThat(during.code()).isEqualTo(502);
        assertThat(stillDuring.code()).isEqualTo(502);
        assertThat(after.code()).isEqualTo(200);
    }

    @Test
    void injected429UsesHubSpotsBody() {
        emulator.faults().failNext(1, 429);

        Reply reply = get("/crm/v3/properties/contacts");

        assertThat(reply.code()).isEqualTo(429);
        assertThat(reply.json().get("errorType").asText()).isEqualTo("RATE_LIMIT");
    }

    @Test
    void dropsConnectionWithoutAnswer() {
        emulator.faults().dropNext(1, "batch/upsert");
        Request request = new Request.Builder().url(emulator.baseUrl() + upsertPath("v3"))
                .header("Authorization", "Bearer " + TOKEN)
                .post(okhttp3.RequestBody.create(ONE, okhttp3.MediaType.get("application/json"))).build();

        assertThatThrownBy(() -> http.newCall(request).execute().close()).isInstanceOf(IOException.class);
        assertThat(post(upsertPath("v3"), ONE).code()).isEqualTo(200);
        assertThat(emulator.requests().get(0).dropped()).isTrue();
        assertThat(emulator.stats().count("contacts.batchUpsert", 0)).isEqualTo(1);
    }

    @Test
    void addsLatencyBeforeAnswering() {
        post("/_emulator/faults", "{\"type\":\"latency\",\"millis\":1500,\"count\":1}", null);

        Reply slowed = get("/crm/v3/properties/contacts");
        Reply normal = get("/crm/v3/properties/contacts");

        assertThat(slowed.code()).isEqualTo(200);
        assertThat(normal.code()).isEqualTo(200);
        assertThat(sleeps).containsExactly(1500L);
    }

    @Test
    void ignoredBodyAnswersCompleteWithEmptyResultsAndWritesNothing() {
        emulator.faults().ignoreBodyNext(1);

        Reply reply = post(upsertPath("2026-03"), ONE);

        assertThat(reply.code()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("COMPLETE");
        assertThat(reply.json().get("results")).isEmpty();
        assertThat(reply.json().has("errors")).isFalse();
        assertThat(emulator.contacts()).isEmpty();
        assertThat(post(upsertPath("2026-03"), ONE).json().get("results")).hasSize(1);
    }

    @Test
    void listsAndClearsFaultsOverAdminApi() {
        emulator.faults().failNext(3, 500);

        assertThat(get("/_emulator/faults", null).json().at("/0/remaining").asLong()).isEqualTo(3);
        assertThat(delete("/_emulator/faults").json()).isEmpty();
        assertThat(get("/crm/v3/properties/contacts").code()).isEqualTo(200);
    }

    @Test
    void refusesUnknownFaultType() {
        Reply reply = post("/_emulator/faults", "{\"type\":\"explode\"}", null);

        assertThat(reply.code()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).contains("explode");
    }

    @Test
    void faultsNeverTouchTheAdminApi() {
        emulator.faults().failFor(Duration.ofMinutes(1), 500, null, null);

        assertThat(get("/_emulator/contacts", null).code()).isEqualTo(200);
    }
}
