package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The contact properties a portal has: what the properties endpoints list and what upserts may write.
 * The default is the emulator's own data file; {@link #fromFile(Path)} replaces it.
 */
public final class PropertyCatalog {
    private static final Set<String> TYPES = Set.of("string", "number", "bool", "date", "datetime", "enumeration",
            "phone_number");
    private final Map<String, ContactProperty> byName;

    private PropertyCatalog(Map<String, ContactProperty> byName) {
        this.byName = byName;
    }

    /** The built-in catalog (HubSpot-defined subset plus custom examples). */
    public static PropertyCatalog defaults() {
        try (InputStream in = PropertyCatalog.class.getResourceAsStream("contact-properties.json")) {
            if (in == null) {
                throw new IllegalStateException("contact-properties.json missing from the emulator JAR");
            }
            return fromJson(JsonCodec.MAPPER.readTree(in), "built-in contact-properties.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a catalog file: a JSON array of properties, or an object with {@code results}, {@code properties},
     * or {@code hubspotDefined} plus {@code customExamples} arrays.
     *
     * @throws IllegalArgumentException naming the file and the bad entry
     */
    public static PropertyCatalog fromFile(Path file) {
        try {
            return fromJson(JsonCodec.MAPPER.readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read property catalog " + file + ": " + e.getMessage(), e);
        }
    }

    static PropertyCatalog fromJson(JsonNode root, String source) {
        List<JsonNode> entries = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(entries::add);
        } else if (root.isObject()) {
            for (String field : List.of("results", "properties", "hubspotDefined", "customExamples")) {
                JsonNode array = root.get(field);
                if (array != null && array.isArray()) {
                    array.forEach(entries::add);
                }
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("Property catalog " + source + " holds no properties: expected an array,"
                    + " or an object with results, properties or hubspotDefined/customExamples arrays");
        }
        Map<String, ContactProperty> byName = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            ContactProperty property = parse(entries.get(i), source + " property #" + (i + 1));
            if (byName.put(property.name(), property) != null) {
                throw new IllegalArgumentException(source + " defines property \"" + property.name() + "\" twice");
            }
        }
        return new PropertyCatalog(byName);
    }

    private static ContactProperty parse(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        String name = requireText(node, "name", where);
        String type = requireText(node, "type", where + " (\"" + name + "\")");
        String fieldType = requireText(node, "fieldType", where + " (\"" + name + "\")");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException(where + " (\"" + name + "\") has unknown type \"" + type
                    + "\"; expected one of " + TYPES);
        }
        List<String> options = new ArrayList<>();
        JsonNode optionsNode = node.path("options");
        optionsNode.forEach(option -> options.add(option.path("value").asText()));
        JsonNode metadata = node.path("modificationMetadata");
        boolean readOnly = metadata.path("readOnlyValue").asBoolean(false) || node.path("calculated").asBoolean(false);

        ObjectNode json = ((ObjectNode) node).deepCopy();
        json.put("name", name);
        json.put("label", node.path("label").asText(name));
        json.put("description", node.path("description").asText(""));
        json.put("groupName", node.path("groupName").asText("contactinformation"));
        if (!optionsNode.isArray()) {
            json.putArray("options");
        }
        json.put("calculated", node.path("calculated").asBoolean(false));
        json.put("hasUniqueValue", node.path("hasUniqueValue").asBoolean(false));
        json.put("hidden", node.path("hidden").asBoolean(false));
        if (!metadata.isObject()) {
            ObjectNode generated = json.putObject("modificationMetadata");
            generated.put("archivable", true);
            generated.put("readOnlyDefinition", false);
            generated.put("readOnlyValue", readOnly);
        }
        return new ContactProperty(name, type, fieldType, options, readOnly, json);
    }

    private static String requireText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + " lacks a text \"" + field + "\"");
        }
        return value.asText();
    }

    public Optional<ContactProperty> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<String> names() {
        return List.copyOf(byName.keySet());
    }

    Collection<ContactProperty> properties() {
        return List.copyOf(byName.values());
    }

    ArrayNode toJsonArray() {
        ArrayNode array = JsonCodec.array();
        byName.values().forEach(p -> array.add(p.json()));
        return array;
    }
}
