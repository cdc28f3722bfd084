package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventSendTest extends EmulatorHarness {
    static final String PURCHASE = "{\"eventName\":\"pe20546336_purchase\",\"email\":\"john@example.com\","
            + "\"occurredAt\":\"2026-01-20T21:14:16.512Z\",\"uuid\":\"evt-1\","
            + "\"properties\":{\"revenue\":\"2000\",\"currency\":\"EUR\",\"hs_page_url\":\"https://shop.example/\"}}";

    @ParameterizedTest
    @ValueSource(strings = {"v3", "2026-03"})
    void acceptsValidOccurrenceWith204AndRecordsIt(String version) {
        Reply reply = post("/events/" + version + "/send", PURCHASE);

        assertThat(reply.code()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        ReceivedEvent event = emulator.events().get(0);
        assertThat(event.eventName()).isEqualTo("pe20546336_purchase");
        assertThat(event.email()).isEqualTo("john@example.com");
        assertThat(event.uuid()).isEqualTo("evt-1");
        assertThat(event.occurredAt()).isEqualTo("2026-01-20T21:14:16.512Z");
        assertThat(event.properties()).containsEntry("revenue", "2000").containsEntry("currency", "EUR");
    }

    @Test
    void acceptsBatchAndStoresEveryOccurrence() {
        Reply reply = post("/events/2026-03/send/batch", "{\"inputs\":[" + PURCHASE + ","
                + PURCHASE.replace("evt-1", "evt-2").replace("\"email\":\"john@example.com\"", "\"utk\":\"abc\"")
                + "]}");

        assertThat(reply.code()).isEqualTo(204);
        assertThat(emulator.events()).extracting(ReceivedEvent::uuid).containsExactly("evt-1", "evt-2");
        assertThat(emulator.events().get(1).utk()).isEqualTo("abc");
    }

    @Test
    void batchWithOneBadOccurrenceIsRefusedWholeNamingTheInput() {
        Reply reply = post("/events/v3/send/batch", "{\"inputs\":[" + PURCHASE + ","
                + PURCHASE.replace("evt-1", "evt-2").replace("\"currency\"", "\"colour\"") + "]}");

        assertThat(reply.code()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).startsWith("inputs[1].properties: Property values were not"
                + " valid").contains("colour");
        assertThat(reply.json().at("/errors/0/in").asText()).isEqualTo("inputs[1]");
        assertThat(emulator.events()).isEmpty();
    }

    @Test
    void refusesBatchLargerThanTheLimitAndEmptyBatch() {
        emulator.settings().maxEventBatch(2);
        List<String> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(PURCHASE.replace("evt-1", "evt-" + i));
        }
        Reply tooMany = post("/events/v3/send/batch", "{\"inputs\":[" + String.join(",", three) + "]}");
        Reply empty = post("/events/v3/send/batch", "{\"inputs\":[]}");

        assertThat(tooMany.code()).isEqualTo(400);
        assertThat(tooMany.json().get("message").asText()).contains("at most 2");
        assertThat(empty.code()).isEqualTo(400);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"email\":\"a@example.com\",\"properties\":{}}|eventName: required field is missing",
        "{\"eventName\":\"pe20546336_purchase\",\"email\":\"a@example.com\"}|properties: required field is missing",
        "{\"eventName\":\"pe20546336_purchase\",\"properties\":{}}|one of them must identify the contact",
        "{\"eventName\":\"pe20546336_purchase\",\"email\":\"nope\",\"properties\":{}}|Email address nope is invalid",
        "{\"eventName\":\"pe20546336_purchase\",\"email\":\"a@example.com\",\"occurredAt\":\"yesterday\","
            + "\"properties\":{}}|occurredAt: \"yesterday\" is not an ISO-8601 date-time",
        "{\"eventName\":\"pe999_purchase\",\"email\":\"a@example.com\",\"properties\":{}}"
            + "|not a fully qualified event name of this portal; expected pe20546336_<name>",
        "{\"eventName\":\"purchase\",\"email\":\"a@example.com\",\"properties\":{}}|expected pe20546336_<name>",
        "{\"eventName\":\"pe20546336_refund\",\"email\":\"a@example.com\",\"properties\":{}}"
            + "|event definition \"pe20546336_refund\" does not exist",
        "{\"eventName\":\"pe20546336_purchase\",\"email\":\"a@example.com\",\"properties\":{\"size\":\"L\"}}"
            + "|Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"size\\\" does not exist\"",
        "{\"eventName\":\"pe20546336_purchase\",\"email\":\"a@example.com\",\"properties\":{\"revenue\":\"lots\"}}"
            + "|INVALID_INTEGER",
        "{\"eventName\":\"pe20546336_purchase\",\"email\":\"a@example.com\",\"properties\":{\"revenue\":20}}"
            + "|properties.revenue: expected a string value, got number",
        "{\"eventName\":\"pe20546336_purchase\",\"email\":\"a@example.com\",\"properties\":{},\"value\":1}"
            + "|value: unknown field",
    })
    void refusesInvalidOccurrenceWith400(String body, String expected) {
        Reply reply = post("/events/2026-03/send", body);

        assertThat(reply.code()).isEqualTo(400);
        assertThat(reply.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(reply.json().at("/errors").toString() + reply.json().get("message").asText()).contains(expected);
        assertThat(emulator.events()).isEmpty();
    }

    @Test
    void refusesMoreThan50Properties() {
        List<EventProperty> properties = new ArrayList<>();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            properties.add(EventProperty.text("p" + i));
            values.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":\"v\"");
        }
        emulator.defineEvent("wide", properties);

        Reply reply = post("/events/v3/send", "{\"eventName\":\"pe20546336_wide\",\"email\":\"a@example.com\","
                + "\"properties\":{" + values + "}}");

        assertThat(reply.code()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).contains("51 properties").contains("at most 50");
    }

    @Test
    void keepsFirstOccurrenceOfAUuidPerEventTypeAndIgnoresRepeats() {
        Reply first = post("/events/v3/send", PURCHASE);
        Reply repeat = post("/events/v3/send", PURCHASE.replace("2000", "3000"));
        Reply otherType = post("/events/v3/send", "{\"eventName\":\"pe20546336_signed_up\","
                + "\"email\":\"john@example.com\",\"uuid\":\"evt-1\",\"properties\":{\"plan\":\"pro\"}}");

        assertThat(first.code()).isEqualTo(204);
        assertThat(repeat.code()).isEqualTo(204);
        assertThat(otherType.code()).isEqualTo(204);
        assertThat(emulator.events()).hasSize(2);
        assertThat(emulator.events().get(0).properties()).containsEntry("revenue", "2000");
        assertThat(get("/_emulator/stats", null).json().get("duplicateEventUuidsIgnored").asLong()).isEqualTo(1);
    }

    @Test
    void generatesUuidWhenAbsent() {
        post("/events/v3/send", "{\"eventName\":\"pe20546336_purchase\",\"objectId\":\"101\",\"properties\":{}}");

        assertThat(emulator.events().get(0).uuid()).matches("[0-9a-f-]{36}");
    }

    @Test
    void nonEnterprisePortalGets403OnSends() {
        emulator.settings().eventSendsAllowed(false);

        Reply single = post("/events/v3/send", PURCHASE);
        Reply batch = post("/events/2026-03/send/batch", "{\"inputs\":[" + PURCHASE + "]}");

        assertThat(single.code()).isEqualTo(403);
        assertThat(single.json().get("message").asText()).contains("Enterprise");
        assertThat(batch.code()).isEqualTo(403);
        assertThat(emulator.events()).isEmpty();
    }

    @Test
    void eventSendsAreExemptFromRateLimitsUnlessConfigured() {
        emulator.settings().rateLimit(1);

        assertThat(post("/events/v3/send", PURCHASE).code()).isEqualTo(204);
        var exempt = post("/events/v3/send", PURCHASE.replace("evt-1", "evt-2"));
        assertThat(exempt.code()).isEqualTo(204);
        assertThat(exempt.header("X-HubSpot-RateLimit-Remaining")).as("an uncounted send carries no limit headers")
                .isNull();

        emulator.settings().eventSendsRateLimited(true);
        var counted = post("/events/v3/send", PURCHASE.replace("evt-1", "evt-3"));
        assertThat(counted.code()).isEqualTo(204);
        assertThat(counted.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("0");
        JsonNode refused = post("/events/v3/send", PURCHASE.replace("evt-1", "evt-4")).json();
        assertThat(refused.get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
    }
}
