package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventDefinitionsTest extends EmulatorHarness {

    @ParameterizedTest
    @ValueSource(strings = {"v3", "2026-03"})
    void listsDefinitionsWithPropertiesWhenAsked(String version) {
        Reply reply = get("/events/" + version + "/event-definitions?includeProperties=true");

        assertThat(reply.code()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("total").asInt()).isEqualTo(3);
        JsonNode purchase = body.at("/results/0");
        assertThat(purchase.get("fullyQualifiedName").asText()).isEqualTo("pe20546336_purchase");
        assertThat(purchase.get("name").asText()).isEqualTo("purchase");
        assertThat(purchase.at("/labels/singular").asText()).isEqualTo("Purchase");
        assertThat(purchase.get("archived").asBoolean()).isFalse();
        assertThat(purchase.get("associations").isArray()).isTrue();
        assertThat(purchase.get("objectTypeId").asText()).isNotBlank();
        assertThat(purchase.get("properties")).extracting(p -> p.get("name").asText())
                .contains("revenue", "currency", "hs_page_url", "hs_city");
        assertThat(body.has("paging")).isFalse();
    }

    @Test
    void omitsPropertiesUnlessIncludePropertiesIsTrue() {
        JsonNode body = get("/events/2026-03/event-definitions").json();

        assertThat(body.at("/results/0/properties")).isEmpty();
    }

    @Test
    void pagesWithAfterCursor() {
        JsonNode first = get("/events/v3/event-definitions?limit=2").json();
        String after = first.at("/paging/next/after").asText();
        JsonNode second = get("/events/v3/event-definitions?limit=2&after=" + after).json();

        assertThat(first.get("results")).hasSize(2);
        assertThat(first.get("total").asInt()).isEqualTo(3);
        assertThat(second.get("results")).hasSize(1);
        assertThat(second.has("paging")).isFalse();
    }

    @Test
    void getsOneDefinitionByNameOr404() {
        Reply found = get("/events/2026-03/event-definitions/pe20546336_signed_up");
        Reply missing = get("/events/2026-03/event-definitions/pe20546336_nope");

        assertThat(found.code()).isEqualTo(200);
        assertThat(found.json().get("properties")).extracting(p -> p.get("name").asText()).contains("plan");
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.json().get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
    }

    @Test
    void definitionsFollowTheConfiguredHubIdAndCanBeAdded() {
        emulator.stop();
        emulator = HubSpotEmulator.builder().clock(clock).hubId(777).build().start();
        emulator.defineEvent("webinar_joined", List.of(EventProperty.text("webinar")));
        Reply added = post("/_emulator/event-definitions",
                "{\"name\":\"trial_started\",\"properties\":[{\"name\":\"days\",\"type\":\"number\"}]}", null);

        JsonNode body = get("/events/v3/event-definitions?includeProperties=true").json();
        assertThat(body.get("results")).extracting(d -> d.get("fullyQualifiedName").asText())
                .contains("pe777_purchase", "pe777_webinar_joined", "pe777_trial_started");
        assertThat(added.code()).isEqualTo(201);
    }
}
