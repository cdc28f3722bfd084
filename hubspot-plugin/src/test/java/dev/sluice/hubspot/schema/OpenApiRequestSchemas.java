package dev.sluice.hubspot.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The request-body schemas of HubSpot's published OpenAPI documents (outside the project, in
 * {@code shared/hubspot-openapi} next to the repository, or where {@code -Dsluice.openapi.dir}
 * points). Each whole document is the schema root, so {@code #/components/schemas/...} references
 * resolve inside it; OpenAPI 3.0 schemas are validated as JSON Schema draft 4 with format assertions.
 * Shared with the end-to-end tests through this module's test JAR.
 */
public final class OpenApiRequestSchemas {

    public static final String DIR_PROPERTY = "sluice.openapi.dir";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonSchema> byPath = new HashMap<>();

    private OpenApiRequestSchemas(Path dir) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode document = JSON.readTree(file.toFile());
                document.path("paths").fields().forEachRemaining(path -> {
                    JsonNode ref = path.getValue().path("post").path("requestBody").path("content")
                            .path("application/json").path("schema").path("$ref");
                    if (ref.isTextual()) {
                        byPath.put(path.getKey(), factory.getSchema(
                                SchemaLocation.of(file.toUri() + ref.asText()), config));
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OpenAPI folder: the system property, else {@code shared/hubspot-openapi} in a parent of the working directory. */
    public static Optional<Path> locate() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path dir = Paths.get(configured);
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        }
        for (Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path dir = p.resolve("shared").resolve("hubspot-openapi");
            if (Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    public static OpenApiRequestSchemas load(Path dir) {
        return new OpenApiRequestSchemas(dir);
    }

    /** Whether the documents define a POST body for {@code path}. */
    public boolean defines(String path) {
        return byPath.containsKey(path);
    }

    public Set<String> paths() {
        return byPath.keySet();
    }

    /** Validation messages for a POST body sent to {@code path}; fails when the documents do not define it. */
    public List<String> validate(String path, JsonNode body) {
        JsonSchema schema = byPath.get(path);
        if (schema == null) {
            throw new AssertionError("no OpenAPI request schema for POST " + path + "; known: " + byPath.keySet());
        }
        Set<ValidationMessage> messages = schema.validate(body);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
