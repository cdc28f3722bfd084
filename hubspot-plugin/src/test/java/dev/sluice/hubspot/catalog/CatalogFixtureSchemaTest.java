package dev.sluice.hubspot.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Our catalog fixtures have the shape of HubSpot's answers: each is validated against the 200
 * response schema of the GET it stands for, in HubSpot's OpenAPI documents (outside the project:
 * {@code shared/hubspot-openapi} above the working directory, or {@code -Dsluice.openapi.dir}).
 * Skipped when the documents are not there.
 */
class CatalogFixtureSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Optional<Path> openApiDir() {
        String configured = System.getProperty("sluice.openapi.dir");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Paths.get(configured)).filter(Files::isDirectory);
        }
        for (Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path dir = p.resolve("shared").resolve("hubspot-openapi");
            if (Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static Set<ValidationMessage> validate(String document, String path, String fixture) throws Exception {
        Optional<Path> dir = openApiDir();
        assumeTrue(dir.isPresent(), "HubSpot's OpenAPI documents (shared/hubspot-openapi) are not available;"
                + " skipping the schema check of the catalog fixtures");
        Path file = dir.get().resolve(document);
        JsonNode root = JSON.readTree(file.toFile());
        String ref = root.path("paths").path(path).path("get").path("responses").path("200").path("content")
                .path("application/json").path("schema").path("$ref").asText("");
        assertThat(ref).as("200 schema of GET %s in %s", path, document).startsWith("#/components/schemas/");
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(
                SchemaLocation.of(file.toUri() + ref),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        return schema.validate(JSON.readTree(Fixtures.read(fixture)));
    }

    @Test
    void contactPropertyFixtureMatchesThePropertyListSchema() throws Exception {
        assertThat(validate("crm-properties-2026-03.json", "/crm/properties/2026-03/{objectType}",
                "contact-properties.json")).isEmpty();
        assertThat(validate("crm-properties-v3.json", "/crm/v3/properties/{objectType}",
                "contact-properties.json")).isEmpty();
    }

    @Test
    void eventDefinitionPagesMatchTheDefinitionListSchema() throws Exception {
        for (String page : new String[] {"event-definitions-page1.json", "event-definitions-page2.json"}) {
            assertThat(validate("events-definitions-2026-03.json", "/events/2026-03/event-definitions", page))
                    .as(page).isEmpty();
        }
    }

    @Test
    void schemaCheckCatchesAMissingRequiredField() throws Exception {
        Optional<Path> dir = openApiDir();
        assumeTrue(dir.isPresent(), "HubSpot's OpenAPI documents are not available");
        Path file = dir.get().resolve("crm-properties-2026-03.json");
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(
                SchemaLocation.of(file.toUri() + "#/components/schemas/CollectionResponsePropertyNoPaging"));
        assertThat(schema.validate(JSON.readTree("{\"results\":[{\"name\":\"email\"}]}"))).isNotEmpty();
    }
}
