package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContactUpsertTest extends EmulatorHarness {

    @ParameterizedTest
    @ValueSource(strings = {"v3", "2026-03"})
    void createsThenMergesContactByLowerCasedEmail(String version) {
        Reply first = post(upsertPath(version), inputs(input("John@Example.com", "t1",
                "{\"firstname\":\"John\",\"signup_date\":\"1430438400000\"}")));
        clock.advance(java.time.Duration.ofMinutes(1));
        Reply second = post(upsertPath(version), inputs(input("john@example.com", "t2", "{\"lastname\":\"Doe\"}")));

        assertThat(first.code()).isEqualTo(200);
        JsonNode created = first.json();
        assertThat(created.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(created.at("/results/0/new").asBoolean()).isTrue();
        assertThat(created.at("/results/0/properties/email").asText()).isEqualTo("john@example.com");
        assertThat(created.get("startedAt").asText()).isEqualTo("2026-01-20T10:00:00Z");
        assertThat(second.code()).isEqualTo(200);
        assertThat(second.json().at("/results/0/new").asBoolean()).isFalse();
        assertThat(second.json().at("/results/0/id").asText()).isEqualTo(created.at("/results/0/id").asText());
        StoredContact stored = emulator.contact("JOHN@example.com").orElseThrow();
        assertThat(stored.properties()).containsEntry("firstname", "John").containsEntry("lastname", "Doe")
                .containsEntry("signup_date", "1430438400000");
        assertThat(stored.writes()).isEqualTo(2);
    }

    @Test
    void emptyStringClearsAProperty() {
        post(upsertPath("v3"), inputs(input("a@example.com", "t1", "{\"firstname\":\"A\"}")));
        post(upsertPath("v3"), inputs(input("a@example.com", "t2", "{\"firstname\":\"\"}")));

        assertThat(emulator.contact("a@example.com").orElseThrow().properties()).doesNotContainKey("firstname");
    }

    @Test
    void refusesMoreThan100Inputs() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(input("user" + i + "@example.com", "t" + i, "{}"));
        }
        Reply reply = post(upsertPath("2026-03"), inputs(many.toArray(String[]::new)));

        assertThat(reply.code()).isEqualTo(400);
        assertThat(reply.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(reply.json().get("message").asText()).contains("101").contains("at most 100");
        assertThat(emulator.contacts()).isEmpty();
    }

    @Test
    void accepts100Inputs() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(input("user" + i + "@example.com", "t" + i, "{}"));
        }
        assertThat(post(upsertPath("v3"), inputs(many.toArray(String[]::new))).code()).isEqualTo(200);
        assertThat(emulator.contacts()).hasSize(100);
    }

    @Test
    void refusesDuplicateIdsIgnoringCase() {
        Reply reply = post(upsertPath("v3"), inputs(input("a@example.com", "t1", "{}"),
                input("A@Example.com", "t2", "{}")));

        assertThat(reply.code()).isEqualTo(400);
        assertThat(reply.json().get("message").asText())
                .isEqualTo("Duplicate IDs found in batch input: [a@example.com]. IDs must be unique");
    }

    @Test
    void unknownPropertyFailsWholeBatchWithHubSpotMessageShapeAndWritesNothing() {
        Reply reply = post(upsertPath("v3"), inputs(input("good@example.com", "t1", "{\"firstname\":\"G\"}"),
                input("bad@example.com", "t2", "{\"foo\":\"x\"}")));

        assertThat(reply.code()).isEqualTo(400);
        JsonNode body = reply.json();
        assertThat(body.get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(body.get("message").asText()).isEqualTo("Property values were not valid: [{\"isValid\":false,"
                + "\"message\":\"Property \\\"foo\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\","
                + "\"name\":\"foo\"}]");
        assertThat(body.at("/context/objectWriteTraceId").toString()).isEqualTo("[\"t2\"]");
        assertThat(body.at("/context/ids/0").asText()).isEqualTo("bad@example.com");
        assertThat(body.at("/errors/0/in").asText()).isEqualTo("inputs[1]");
        assertThat(body.at("/errors/0/context/id/0").asText()).isEqualTo("bad@example.com");
        assertThat(body.at("/errors/0/code").asText()).isEqualTo("PROPERTY_DOESNT_EXIST");
        assertThat(emulator.contacts()).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "email|not-an-email|INVALID_EMAIL|Email address not-an-email is invalid",
        "signup_date|1430485260000|INVALID_DATE|1430485260000 is at 13:1:0.0 UTC, not midnight!",
        "signup_date|yesterday|INVALID_DATE|yesterday is not a valid date",
        "seats|twelve|INVALID_INTEGER|twelve is not a valid number.",
        "total_revenue|12,5|INVALID_INTEGER|12,5 is not a valid number.",
        "last_login|last tuesday|INVALID_LONG|last tuesday was not a valid long.",
        "plan|Gold|INVALID_OPTION|Gold was not one of the allowed options: [free, pro, enterprise]",
        "lifecyclestage|Lead|INVALID_OPTION|Lead was not one of the allowed options",
        "favorite_features|reports;charts|INVALID_OPTION|charts was not one of the allowed options",
        "is_paying|yes|INVALID_OPTION|yes was not one of the allowed options",
        "hs_object_id|5|READ_ONLY_VALUE|\"hs_object_id\" is a read only property",
        "hs_email_domain|example.com|READ_ONLY_VALUE|\"hs_email_domain\" is a read only property",
        "createdate|1430438400000|READ_ONLY_VALUE|\"createdate\" is a read only property",
    })
    void refusesInvalidValueWithItsCode(String property, String value, String code, String messageStart) {
        Reply reply = post(upsertPath("2026-03"), inputs(input("a@example.com", "t1",
                "{\"" + property + "\":\"" + value + "\"}")));

        assertThat(reply.code()).isEqualTo(400);
        JsonNode error = embeddedErrors(reply.json().get("message").asText()).get(0);
        assertThat(error.get("isValid").asBoolean()).isFalse();
        assertThat(error.get("error").asText()).isEqualTo(code);
        assertThat(error.get("name").asText()).isEqualTo(property);
        assertThat(error.get("message").asText()).startsWith(messageStart);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "signup_date|1430438400000", "signup_date|2015-05-01", "last_login|1430485260000",
        "last_login|2026-01-20T21:14:16.512Z", "seats|12", "total_revenue|-12.50", "total_revenue|1e3",
        "plan|pro", "favorite_features|reports;exports", "is_paying|true", "is_paying|False",
        "closedate|2015-05-01", "phone|+1 555 0100", "numemployees|1000+"
    })
    void acceptsValidValues(String property, String value) {
        Reply reply = post(upsertPath("v3"), inputs(input("a@example.com", "t1",
                "{\"" + property + "\":\"" + value + "\"}")));

        assertThat(reply.code()).as(reply.body()).isEqualTo(200);
        assertThat(emulator.contact("a@example.com").orElseThrow().property(property)).isEqualTo(value);
    }

    @Test
    void refusesStringLongerThan65536Characters() {
        String longText = "x".repeat(65_537);
        Reply reply = post(upsertPath("v3"), inputs(input("a@example.com", "t1",
                "{\"message\":\"" + longText + "\"}")));
        Reply fits = post(upsertPath("v3"), inputs(input("a@example.com", "t1",
                "{\"message\":\"" + "x".repeat(65_536) + "\"}")));

        assertThat(reply.code()).isEqualTo(400);
        JsonNode error = embeddedErrors(reply.json().get("message").asText()).get(0);
        assertThat(error.get("error").asText()).isEqualTo("VALUE_TOO_LONG");
        assertThat(error.get("message").asText()).contains("65537").contains("65536");
        assertThat(fits.code()).isEqualTo(200);
    }

    @Test
    void invalidEmailAsIdIsInvalidEmail() {
        Reply reply = post(upsertPath("v3"), inputs(input("john at example", "t1", "{}")));

        assertThat(reply.code()).isEqualTo(400);
        assertThat(embeddedErrors(reply.json().get("message").asText()).get(0).get("error").asText())
                .isEqualTo("INVALID_EMAIL");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}|inputs: required field is missing",
        "{\"inputs\":{}}|inputs: expected an array",
        "{\"inputs\":[{\"idProperty\":\"email\",\"properties\":{}}]}|inputs[0].id: required field is missing",
        "{\"inputs\":[{\"id\":\"a@b.co\",\"idProperty\":\"email\"}]}|inputs[0].properties: required field is missing",
        "{\"inputs\":[{\"id\":\"a@b.co\",\"idProperty\":\"email\",\"properties\":{\"seats\":5}}]}"
            + "|inputs[0].properties.seats: expected a string value, got number",
        "{\"inputs\":[{\"id\":7,\"idProperty\":\"email\",\"properties\":{}}]}|inputs[0].id: expected a string",
        "{\"inputs\":[{\"id\":\"a@b.co\",\"idProperty\":\"phone\",\"properties\":{}}]}"
            + "|inputs[0].idProperty: \"phone\" is not supported",
        "{\"inputs\":[{\"id\":\"a@b.co\",\"idProperty\":\"email\",\"properties\":{},\"extra\":1}]}"
            + "|inputs[0].extra: unknown field",
        "{\"inputs\":[|Invalid input JSON on line 1",
        "[]|body: expected a JSON object",
    })
    void refusesMalformedBodyNamingTheField(String body, String expected) {
        Reply reply = post(upsertPath("v3"), body);

        assertThat(reply.code()).isEqualTo(400);
        assertThat(reply.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(reply.json().get("message").asText()).contains(expected);
    }

    @Test
    void refusesNonJsonContentType() {
        Reply reply = execute(new okhttp3.Request.Builder().url(emulator.baseUrl() + upsertPath("v3"))
                .header("Authorization", "Bearer " + TOKEN)
                .post(okhttp3.RequestBody.create(inputs(input("a@example.com", "t", "{}")),
                        okhttp3.MediaType.get("text/plain"))).build());

        assertThat(reply.code()).isEqualTo(415);
    }

    @Test
    void upsertWithoutIdPropertyAddressesAnExistingRecordId() {
        StoredContact seeded = emulator.seedContact("a@example.com", java.util.Map.of("firstname", "A"));

        Reply known = post(upsertPath("v3"), "{\"inputs\":[{\"id\":\"" + seeded.id()
                + "\",\"properties\":{\"lastname\":\"B\"}}]}");
        Reply unknown = post(upsertPath("v3"), "{\"inputs\":[{\"id\":\"999999\",\"properties\":{}}]}");

        assertThat(known.code()).isEqualTo(200);
        assertThat(emulator.contact("a@example.com").orElseThrow().property("lastname")).isEqualTo("B");
        assertThat(unknown.code()).isEqualTo(400);
        assertThat(unknown.json().get("message").asText()).contains("999999");
    }

    @Test
    void multiStatusModeWritesGoodInputsAndReportsBadOnesByTraceId() {
        emulator.settings().multiStatus(true);

        Reply reply = post(upsertPath("2026-03"), inputs(
                input("good@example.com", "trace-good", "{\"firstname\":\"G\"}"),
                input("bad@example.com", "trace-bad", "{\"foo\":\"x\"}"),
                input("worse@example.com", "trace-worse", "{\"plan\":\"gold\"}")));

        assertThat(reply.code()).isEqualTo(207);
        JsonNode body = reply.json();
        assertThat(body.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(body.get("results")).hasSize(1);
        assertThat(body.at("/results/0/properties/email").asText()).isEqualTo("good@example.com");
        assertThat(body.get("numErrors").asInt()).isEqualTo(2);
        assertThat(body.at("/errors/0/category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(body.at("/errors/0/context/objectWriteTraceId").toString()).isEqualTo("[\"trace-bad\"]");
        assertThat(embeddedErrors(body.at("/errors/0/message").asText()).get(0).get("error").asText())
                .isEqualTo("PROPERTY_DOESNT_EXIST");
        assertThat(body.at("/errors/1/context/objectWriteTraceId").toString()).isEqualTo("[\"trace-worse\"]");
        assertThat(embeddedErrors(body.at("/errors/1/message").asText()).get(0).get("error").asText())
                .isEqualTo("INVALID_OPTION");
        assertThat(emulator.contacts()).extracting(StoredContact::email).containsExactly("good@example.com");
    }

    @Test
    void multiStatusCanBeSwitchedOverTheAdminApi() {
        Reply settings = post("/_emulator/settings", "{\"multiStatus\":true}", null);

        assertThat(settings.json().get("multiStatus").asBoolean()).isTrue();
        assertThat(post(upsertPath("v3"), inputs(input("bad@example.com", "t", "{\"foo\":\"x\"}"))).code())
                .isEqualTo(207);
    }

    @Test
    void secondaryEmailOfAnotherContactIsAConflict() {
        StoredContact owner = emulator.addSecondaryEmail("primary@example.com", "alias@example.com");

        Reply reply = post(upsertPath("v3"), inputs(input("Alias@example.com", "t1", "{\"firstname\":\"A\"}")));

        assertThat(reply.code()).isEqualTo(409);
        assertThat(reply.json().get("category").asText()).isEqualTo("CONFLICT");
        assertThat(reply.json().get("message").asText()).isEqualTo("Contact already exists. Existing ID: "
                + owner.id());
        assertThat(emulator.contact("alias@example.com")).isEmpty();
    }

    @Test
    void conflictInMultiStatusModeIsAPerInputError() {
        emulator.settings().multiStatus(true);
        post("/_emulator/contacts/secondary-emails",
                "{\"email\":\"primary@example.com\",\"secondaryEmail\":\"alias@example.com\"}", null);

        Reply reply = post(upsertPath("v3"), inputs(input("alias@example.com", "t-alias", "{}"),
                input("fresh@example.com", "t-fresh", "{}")));

        assertThat(reply.code()).isEqualTo(207);
        assertThat(reply.json().at("/errors/0/category").asText()).isEqualTo("CONFLICT");
        assertThat(reply.json().at("/errors/0/context/objectWriteTraceId/0").asText()).isEqualTo("t-alias");
        assertThat(emulator.contact("fresh@example.com")).isPresent();
    }
}
