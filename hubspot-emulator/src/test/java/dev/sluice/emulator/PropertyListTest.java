package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyListTest extends EmulatorHarness {

    @ParameterizedTest
    @ValueSource(strings = {"/crm/v3/properties/contacts", "/crm/properties/2026-03/contacts"})
    void listsCatalogInHubSpotShape(String path) {
        Reply reply = get(path);

        assertThat(reply.code()).isEqualTo(200);
        JsonNode results = reply.json().get("results");
        JsonNode email = find(results, "email");
        assertThat(email.get("label").asText()).isEqualTo("Email");
        assertThat(email.get("type").asText()).isEqualTo("string");
        assertThat(email.get("fieldType").asText()).isEqualTo("text");
        assertThat(email.get("options").isArray()).isTrue();
        assertThat(email.get("calculated").asBoolean()).isFalse();
        assertThat(email.get("hasUniqueValue").isBoolean()).isTrue();
        assertThat(email.get("hidden").isBoolean()).isTrue();
        assertThat(email.at("/modificationMetadata/readOnlyValue").asBoolean()).isFalse();
        assertThat(find(results, "hs_object_id").at("/modificationMetadata/readOnlyValue").asBoolean()).isTrue();
        assertThat(find(results, "plan").get("options")).extracting(o -> o.get("value").asText())
                .containsExactly("free", "pro", "enterprise");
        assertThat(reply.header("X-HubSpot-RateLimit-Max")).isEqualTo("100");
    }

    @Test
    void refusesObjectTypesOtherThanContacts() {
        assertThat(get("/crm/v3/properties/deals").code()).isEqualTo(400);
    }

    @Test
    void answersUnknownPathWith404AndWrongMethodWith405() {
        assertThat(get("/crm/v3/objects/deals").code()).isEqualTo(404);
        assertThat(get(upsertPath("v3")).code()).isEqualTo(405);
    }

    private static JsonNode find(JsonNode results, String name) {
        return StreamSupport.stream(results.spliterator(), false)
                .filter(p -> p.get("name").asText().equals(name)).findFirst().orElseThrow();
    }
}
