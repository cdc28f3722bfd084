package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LegacyEndpointsTest extends EmulatorHarness {
    private static final String LEGACY = "/contacts/v1/contact/createOrUpdate/email/";

    @Test
    void createOrUpdateDecodesEmailAndAnswersVidAndIsNew() {
        Reply first = post(LEGACY + "john%2Btag%40Example.com/",
                "{\"properties\":[{\"property\":\"firstname\",\"value\":\"John\"},{\"property\":\"seats\",\"value\":3}]}");
        Reply second = post(LEGACY + "john%2Btag%40example.com/",
                "{\"properties\":[{\"property\":\"lastname\",\"value\":\"Doe\"}]}");

        assertThat(first.code()).isEqualTo(200);
        assertThat(first.json().get("isNew").asBoolean()).isTrue();
        assertThat(first.json().get("vid").isNumber()).isTrue();
        assertThat(second.json().get("isNew").asBoolean()).isFalse();
        assertThat(second.json().get("vid").asLong()).isEqualTo(first.json().get("vid").asLong());
        StoredContact contact = emulator.contact("john+tag@example.com").orElseThrow();
        assertThat(contact.properties()).containsEntry("firstname", "John").containsEntry("lastname", "Doe")
                .containsEntry("seats", "3");
    }

    @Test
    void createOrUpdateAppliesTheSamePropertyRules() {
        Reply reply = post(LEGACY + "a%40example.com/",
                "{\"properties\":[{\"property\":\"foo\",\"value\":\"x\"},{\"property\":\"plan\",\"value\":\"gold\"}]}");

        assertThat(reply.code()).isEqualTo(400);
        JsonNode errors = embeddedErrors(reply.json().get("message").asText());
        assertThat(errors).extracting(e -> e.get("error").asText())
                .containsExactly("PROPERTY_DOESNT_EXIST", "INVALID_OPTION");
        assertThat(reply.json().get("validationResults")).hasSize(2);
        assertThat(emulator.contacts()).isEmpty();
    }

    @Test
    void createOrUpdateRefusesInvalidEmailInPath() {
        Reply reply = post(LEGACY + "not-an-email/", "{\"properties\":[]}");

        assertThat(reply.code()).isEqualTo(400);
        assertThat(embeddedErrors(reply.json().get("message").asText()).get(0).get("error").asText())
                .isEqualTo("INVALID_EMAIL");
    }

    @Test
    void createOrUpdateRefusesBodyWithoutPropertiesArray() {
        Reply reply = post(LEGACY + "a%40example.com/", "{\"firstname\":\"A\"}");

        assertThat(reply.code()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).contains("properties");
    }

    @Test
    void legacyPropertyListIsABareArray() {
        Reply reply = get("/properties/v1/contacts/properties");

        assertThat(reply.code()).isEqualTo(200);
        assertThat(reply.json().isArray()).isTrue();
        assertThat(reply.json()).extracting(p -> p.get("name").asText()).contains("email", "firstname", "plan");
        JsonNode objectId = java.util.stream.StreamSupport.stream(reply.json().spliterator(), false)
                .filter(p -> p.get("name").asText().equals("hs_object_id")).findFirst().orElseThrow();
        assertThat(objectId.get("readOnlyValue").asBoolean()).isTrue();
        assertThat(objectId.has("modificationMetadata")).isFalse();
    }

    @Test
    void pixelRecordsHitAndAnswersGif() {
        Reply reply = get("/v1/event?_a=20546336&_n=purchase&email=john%40example.com&_m=19.99&plan=pro", null);

        assertThat(reply.code()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("image/gif");
        assertThat(reply.body()).startsWith("GIF89a");
        PixelHit hit = emulator.pixelHits().get(0);
        assertThat(hit.hubId()).isEqualTo("20546336");
        assertThat(hit.eventName()).isEqualTo("purchase");
        assertThat(hit.email()).isEqualTo("john@example.com");
        assertThat(hit.revenue()).isEqualTo("19.99");
        assertThat(hit.properties()).containsExactly(java.util.Map.entry("plan", "pro"));
        assertThat(get("/_emulator/pixel-events", null).json().at("/results/0/eventName").asText())
                .isEqualTo("purchase");
    }
}
