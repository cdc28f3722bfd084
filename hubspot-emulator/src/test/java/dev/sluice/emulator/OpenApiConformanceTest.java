package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks that what the emulator accepts, and what it answers, fits HubSpot's published OpenAPI schemas.
 * The documents live outside the project ({@code ../shared/hubspot-openapi} from the repository root, or the
 * {@code sluice.hubspot.openapi} system property); the test is skipped when they are absent.
 */
class OpenApiConformanceTest extends EmulatorHarness {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private Path specs;

    static Optional<Path> locateSpecs() {
        String property = System.getProperty("sluice.hubspot.openapi");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Optional.of(Path.of(property));
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("hubspot-openapi");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @BeforeEach
    void requireSpecs() {
        Optional<Path> found = locateSpecs();
        assumeTrue(found.isPresent(), "HubSpot OpenAPI documents not found (../shared/hubspot-openapi or"
                + " -Dsluice.hubspot.openapi): skipping the schema conformance check");
        specs = found.get();
    }

    private void assertFits(JsonNode node, String file, String schemaName) {
        JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(specs.resolve(file).toUri()
                + "#/components/schemas/" + schemaName));
        Set<ValidationMessage> problems = schema.validate(node);
        assertThat(problems).as(schemaName + " in " + file + " for " + node).isEmpty();
    }

    @Test
    void schemaCheckRejectsWrongShapes() {
        JsonSchema upsert = FACTORY.getSchema(SchemaLocation.of(specs.resolve("crm-contacts-v3.json").toUri()
                + "#/components/schemas/BatchInputSimplePublicObjectBatchInputUpsert"));

        assertThat(upsert.validate(json("{\"inputs\":[{\"id\":\"a@b.co\",\"properties\":{\"n\":1}}]}"))).isNotEmpty();
        assertThat(upsert.validate(json("{\"records\":[]}"))).isNotEmpty();
    }

    @Test
    void acceptedUpsertBodiesAndAnswersFitTheContactsSchemas() {
        Reply v3 = post(upsertPath("v3"), inputs(input("a@example.com", "t1", "{\"firstname\":\"A\",\"plan\":\"pro\"}"),
                input("b@example.com", "t2", "{\"signup_date\":\"2015-05-01\"}")));
        Reply current = post(upsertPath("2026-03"), inputs(input("c@example.com", "t3", "{}")));
        emulator.settings().multiStatus(true);
        Reply partial = post(upsertPath("2026-03"), inputs(input("d@example.com", "t4", "{}"),
                input("e@example.com", "t5", "{\"foo\":\"x\"}")));
        Reply refused = post(upsertPath("v3"), inputs(input("f@example.com", "t6", "{}"), input("f@example.com", "t7", "{}")));

        assertThat(List.of(v3.code(), current.code(), partial.code(), refused.code())).containsExactly(200, 200, 207, 400);
        for (RecordedRequest request : emulator.requests()) {
            if (request.status() / 100 == 2) {
                String file = request.path().contains("/v3/") ? "crm-contacts-v3.json" : "crm-contacts-2026-03.json";
                assertFits(json(request.body()), file, "BatchInputSimplePublicObjectBatchInputUpsert");
            }
        }
        assertFits(v3.json(), "crm-contacts-v3.json", "BatchResponseSimplePublicUpsertObject");
        assertFits(current.json(), "crm-contacts-2026-03.json", "BatchResponseSimplePublicUpsertObject");
        assertFits(partial.json(), "crm-contacts-2026-03.json", "BatchResponseSimplePublicUpsertObjectWithErrors");
        assertFits(refused.json(), "crm-contacts-v3.json", "Error");
    }

    @Test
    void propertyListFitsThePropertiesSchema() {
        assertFits(get("/crm/v3/properties/contacts").json(), "crm-properties-v3.json",
                "CollectionResponsePropertyNoPaging");
        assertFits(get("/crm/properties/2026-03/contacts").json(), "crm-properties-2026-03.json",
                "CollectionResponsePropertyNoPaging");
    }

    @Test
    void acceptedEventBodiesAndDefinitionsFitTheEventSchemas() {
        assertThat(post("/events/v3/send", EventSendTest.PURCHASE).code()).isEqualTo(204);
        assertThat(post("/events/2026-03/send/batch", "{\"inputs\":[" + EventSendTest.PURCHASE.replace("evt-1", "evt-2")
                + ",{\"eventName\":\"pe20546336_signed_up\",\"utk\":\"u1\",\"properties\":{\"plan\":\"pro\"}}]}").code())
                .isEqualTo(204);

        for (RecordedRequest request : emulator.requests()) {
            String file = request.path().contains("/v3/") ? "events-send-v3.json" : "events-send-2026-03.json";
            String schema = request.path().endsWith("/batch") ? "BatchedBehavioralEventHttpCompletionRequest"
                    : "BehavioralEventHttpCompletionRequest";
            assertFits(json(request.body()), file, schema);
        }
        assertFits(get("/events/2026-03/event-definitions?includeProperties=true&limit=2").json(),
                "events-definitions-2026-03.json", "CollectionResponseWithTotalExternalBehavioralEventTypeDefinition");
        assertFits(get("/events/2026-03/event-definitions/pe20546336_purchase").json(),
                "events-definitions-2026-03.json", "ExternalBehavioralEventTypeDefinition");
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
