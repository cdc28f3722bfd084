package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationTest extends EmulatorHarness {
    private static final String ONE_CONTACT = inputs(input("a@example.com", "t1", "{\"firstname\":\"A\"}"));

    @Test
    void refusesCallWithoutBearerTokenWithHubSpots401Body() {
        Reply reply = post(upsertPath("2026-03"), ONE_CONTACT, null);

        assertThat(reply.code()).isEqualTo(401);
        JsonNode body = reply.json();
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
        assertThat(body.get("message").asText()).startsWith("Authentication credentials not found");
        assertThat(body.get("correlationId").asText()).matches("[0-9a-f-]{36}");
        assertThat(emulator.contacts()).isEmpty();
    }

    @Test
    void refusesHapikeyEvenWithAValidToken() {
        Reply reply = post(upsertPath("v3") + "?hapikey=secret-api-key", ONE_CONTACT);

        assertThat(reply.code()).isEqualTo(401);
        assertThat(reply.json().get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
        assertThat(reply.json().get("message").asText()).contains("hapikey");
        assertThat(emulator.requests().get(0).query().get("hapikey")).containsExactly("***");
    }

    @Test
    void acceptsOnlyConfiguredTokensWhenAListIsSet() {
        emulator.settings().acceptedTokens(List.of("good-token"));

        assertThat(post(upsertPath("v3"), ONE_CONTACT, "other-token").code()).isEqualTo(401);
        assertThat(post(upsertPath("v3"), ONE_CONTACT, "good-token").code()).isEqualTo(200);
    }

    @Test
    void answersMissingScopesWithRequiredScopeInContext() {
        emulator.settings().grantScopes(TOKEN, List.of("crm.schemas.contacts.read"));

        Reply upsert = post(upsertPath("v3"), ONE_CONTACT);
        Reply properties = get("/crm/v3/properties/contacts");
        Reply send = post("/events/v3/send", "{\"eventName\":\"pe20546336_purchase\",\"email\":\"a@example.com\","
                + "\"properties\":{}}");

        assertThat(upsert.code()).isEqualTo(403);
        JsonNode body = upsert.json();
        assertThat(body.get("category").asText()).isEqualTo("MISSING_SCOPES");
        assertThat(body.get("message").asText()).startsWith("This app hasn't been granted all required scopes");
        assertThat(body.at("/context/requiredScopes/0").asText()).isEqualTo("crm.objects.contacts.write");
        assertThat(body.get("correlationId").asText()).isNotBlank();
        assertThat(properties.code()).isEqualTo(200);
        assertThat(send.code()).isEqualTo(403);
        assertThat(send.json().at("/context/requiredScopes/0").asText()).isEqualTo("analytics.behavioral_events.send");
    }

    @Test
    void legacyPixelNeedsNoToken() {
        Reply reply = get("/v1/event?_a=20546336&_n=signup&email=a%40example.com", null);

        assertThat(reply.code()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("image/gif");
    }

    @Test
    void neverRecordsTheAuthorizationHeaderOrTokenValue() {
        post(upsertPath("v3"), ONE_CONTACT);

        RecordedRequest recorded = emulator.requests().get(0);
        assertThat(recorded.headers()).doesNotContainKey("authorization");
        assertThat(recorded.token()).startsWith("sha256:").doesNotContain(TOKEN);
        assertThat(get("/_emulator/requests", null).body()).doesNotContain(TOKEN);
        assertThat(get("/_emulator/stats", null).body()).doesNotContain(TOKEN);
    }

    @Test
    void settingsShowTokensOnlyAsLabels() {
        post("/_emulator/settings", "{\"acceptedTokens\":[\"" + TOKEN + "\"],\"tokenScopes\":{\"" + TOKEN
                + "\":[\"crm.schemas.contacts.read\"]}}", null);

        String settings = get("/_emulator/settings", null).body();

        assertThat(settings).doesNotContain(TOKEN).contains(TokenLabel.of(TOKEN)).contains("crm.schemas.contacts.read");
        assertThat(get("/crm/v3/properties/contacts").code()).isEqualTo(200);
        assertThat(post(upsertPath("v3"), ONE_CONTACT).code()).isEqualTo(403);
    }
}
