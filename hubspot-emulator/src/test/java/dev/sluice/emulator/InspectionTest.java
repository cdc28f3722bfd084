package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InspectionTest extends EmulatorHarness {

    @Override
    HubSpotEmulator.Builder configure(HubSpotEmulator.Builder builder) {
        return builder.journalCapacity(3);
    }

    @Test
    void showsContactsAndOneContactByEmail() {
        post(upsertPath("v3"), inputs(input("John@Example.com", "t1", "{\"firstname\":\"John\"}")));

        JsonNode all = get("/_emulator/contacts", null).json();
        Reply one = get("/_emulator/contacts/john%40example.com", null);
        Reply missing = get("/_emulator/contacts/nobody%40example.com", null);

        assertThat(all.get("total").asInt()).isEqualTo(1);
        assertThat(all.at("/results/0/email").asText()).isEqualTo("john@example.com");
        assertThat(one.code()).isEqualTo(200);
        assertThat(one.json().at("/properties/firstname").asText()).isEqualTo("John");
        assertThat(missing.code()).isEqualTo(404);
    }

    @Test
    void showsEvents() {
        post("/events/v3/send", EventSendTest.PURCHASE);

        JsonNode events = get("/_emulator/events", null).json();

        assertThat(events.get("total").asInt()).isEqualTo(1);
        assertThat(events.at("/results/0/eventName").asText()).isEqualTo("pe20546336_purchase");
        assertThat(events.at("/results/0/properties/revenue").asText()).isEqualTo("2000");
        assertThat(events.at("/results/0/endpoint").asText()).isEqualTo("events.send");
    }

    @Test
    void recordsLastNRequestsWithoutAuthorization() {
        for (int i = 0; i < 4; i++) {
            get("/crm/v3/properties/contacts?n=" + i);
        }
        post(upsertPath("v3"), "{\"inputs\":[]}");

        JsonNode requests = get("/_emulator/requests", null).json();
        JsonNode last = requests.at("/results/2");
        assertThat(requests.get("total").asInt()).isEqualTo(3);
        assertThat(requests.at("/results/0/query/n/0").asText()).isEqualTo("2");
        assertThat(last.get("method").asText()).isEqualTo("POST");
        assertThat(last.get("path").asText()).isEqualTo("/crm/v3/objects/contacts/batch/upsert");
        assertThat(last.get("body").asText()).isEqualTo("{\"inputs\":[]}");
        assertThat(last.get("status").asInt()).isEqualTo(200);
        assertThat(last.get("endpoint").asText()).isEqualTo("contacts.batchUpsert");
        assertThat(last.get("headers").has("authorization")).isFalse();
        assertThat(last.get("headers").get("content-type").asText()).startsWith("application/json");
        assertThat(get("/_emulator/requests?limit=1", null).json().get("total").asInt()).isEqualTo(1);
    }

    @Test
    void statsCountByEndpointAndStatus() {
        get("/crm/v3/properties/contacts");
        get("/crm/properties/2026-03/contacts");
        post(upsertPath("v3"), "{}");
        get("/crm/v3/properties/contacts", null);

        JsonNode stats = get("/_emulator/stats", null).json();

        assertThat(stats.get("total").asLong()).isEqualTo(4);
        assertThat(stats.at("/byEndpoint/properties.list/200").asLong()).isEqualTo(2);
        assertThat(stats.at("/byEndpoint/properties.list/401").asLong()).isEqualTo(1);
        assertThat(stats.at("/byEndpoint/contacts.batchUpsert/400").asLong()).isEqualTo(1);
        assertThat(stats.at("/byStatus/200").asLong()).isEqualTo(2);
    }

    @Test
    void resetForgetsStateButKeepsSettings() {
        emulator.settings().multiStatus(true);
        post(upsertPath("v3"), inputs(input("a@example.com", "t", "{}")));
        post("/events/v3/send", EventSendTest.PURCHASE);
        emulator.faults().failNext(5, 500);

        Reply reset = post("/_emulator/reset", "", null);

        assertThat(reset.code()).isEqualTo(200);
        assertThat(emulator.contacts()).isEmpty();
        assertThat(emulator.events()).isEmpty();
        assertThat(emulator.requests()).isEmpty();
        assertThat(emulator.stats().total()).isZero();
        assertThat(emulator.faults().active()).isEmpty();
        assertThat(emulator.settings().multiStatus()).isTrue();
        assertThat(post("/events/v3/send", EventSendTest.PURCHASE).code()).isEqualTo(204);
        assertThat(emulator.events()).hasSize(1);
    }

    @Test
    void healthNamesTheHubId() {
        JsonNode health = get("/_emulator/health", null).json();

        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("hubId").asLong()).isEqualTo(HubSpotEmulator.DEFAULT_HUB_ID);
    }
}
