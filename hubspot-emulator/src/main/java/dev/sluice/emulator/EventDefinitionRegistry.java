package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The portal's custom event definitions, by fully qualified name. Thread-safe. */
final class EventDefinitionRegistry {
    private static final long FIRST_ID = 2_100_001;
    private final long hubId;
    private final List<EventProperty> hubspotDefaults;
    private final List<EventDefinition> initial;
    private final Map<String, EventDefinition> byName = new LinkedHashMap<>();
    private long nextId = FIRST_ID;

    private EventDefinitionRegistry(long hubId, List<EventProperty> hubspotDefaults, List<JsonNode> definitions) {
        this.hubId = hubId;
        this.hubspotDefaults = List.copyOf(hubspotDefaults);
        for (JsonNode definition : definitions) {
            add(definition);
        }
        this.initial = List.copyOf(byName.values());
    }

    static EventDefinitionRegistry defaults(long hubId) {
        try (InputStream in = EventDefinitionRegistry.class.getResourceAsStream("event-definitions.json")) {
            if (in == null) {
                throw new IllegalStateException("event-definitions.json missing from the emulator JAR");
            }
            return fromJson(hubId, JsonCodec.MAPPER.readTree(in), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Built-in HubSpot default properties plus the definitions of the given file (same format as the resource). */
    static EventDefinitionRegistry fromFile(long hubId, Path file) {
        try {
            return fromJson(hubId, JsonCodec.MAPPER.readTree(file.toFile()), defaults(hubId).hubspotDefaults);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read event definitions " + file + ": " + e.getMessage(), e);
        }
    }

    private static EventDefinitionRegistry fromJson(long hubId, JsonNode root, List<EventProperty> fallbackDefaults) {
        List<EventProperty> defaults = new ArrayList<>();
        root.path("hubspotDefaultProperties").forEach(p -> defaults.add(property(p, true)));
        if (defaults.isEmpty() && fallbackDefaults != null) {
            defaults.addAll(fallbackDefaults);
        }
        List<JsonNode> definitions = new ArrayList<>();
        root.path("definitions").forEach(definitions::add);
        return new EventDefinitionRegistry(hubId, defaults, definitions);
    }

    private static EventProperty property(JsonNode node, boolean hubspotDefined) {
        String name = node.path("name").asText("");
        if (name.isBlank()) {
            throw new IllegalArgumentException("An event property lacks a name: " + node);
        }
        List<String> options = new ArrayList<>();
        node.path("options").forEach(o -> options.add(o.isTextual() ? o.asText() : o.path("value").asText()));
        return new EventProperty(name, node.path("label").asText(name), node.path("type").asText("string"),
                node.path("fieldType").asText("text"), options, hubspotDefined);
    }

    /**
     * Adds a definition from JSON {@code {"name":"purchase","label":..,"properties":[{"name":..,"type":..}]}};
     * {@code name} may be short or fully qualified. HubSpot's default properties are added.
     */
    synchronized EventDefinition add(JsonNode node) {
        String name = node.path("name").asText("");
        String prefix = "pe" + hubId + "_";
        String shortName = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
        if (!EventDefinition.SHORT_NAME.matcher(shortName).matches()) {
            throw new IllegalArgumentException("Event name \"" + name + "\" is invalid: it must start with a lower-case"
                    + " letter and contain only lower-case letters, digits, _ and -, at most 50 characters");
        }
        List<EventProperty> properties = new ArrayList<>();
        node.path("properties").forEach(p -> properties.add(property(p, false)));
        return add(shortName, node.path("label").asText(null), node.path("pluralLabel").asText(null),
                node.path("description").asText(""), properties);
    }

    synchronized EventDefinition add(String shortName, String label, String pluralLabel, String description,
                                     List<EventProperty> customProperties) {
        Objects.requireNonNull(shortName, "shortName");
        List<EventProperty> all = new ArrayList<>(customProperties);
        for (EventProperty d : hubspotDefaults) {
            if (all.stream().noneMatch(p -> p.name().equals(d.name()))) {
                all.add(d);
            }
        }
        String qualified = EventDefinition.qualifiedName(hubId, shortName);
        EventDefinition existing = byName.get(qualified);
        String id = existing != null ? existing.id() : Long.toString(nextId++);
        EventDefinition definition = new EventDefinition(id, shortName, qualified, label, pluralLabel, description, all);
        byName.put(qualified, definition);
        return definition;
    }

    /** By fully qualified name, or by short name. */
    synchronized Optional<EventDefinition> find(String name) {
        EventDefinition found = byName.get(name);
        if (found == null) {
            found = byName.get(EventDefinition.qualifiedName(hubId, name));
        }
        return Optional.ofNullable(found);
    }

    synchronized List<EventDefinition> all() {
        return List.copyOf(byName.values());
    }

    synchronized void resetToInitial() {
        byName.clear();
        initial.forEach(d -> byName.put(d.fullyQualifiedName(), d));
    }
}
