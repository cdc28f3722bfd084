package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A custom behavioral event definition of the portal.
 *
 * @param id                 HubSpot's numeric id as a string
 * @param name               short name, e.g. {@code purchase}
 * @param fullyQualifiedName {@code pe{hubId}_{name}}
 * @param label              singular label
 * @param pluralLabel        plural label
 * @param description        description
 * @param properties         custom and HubSpot default properties
 */
public record EventDefinition(String id, String name, String fullyQualifiedName, String label, String pluralLabel,
                              String description, List<EventProperty> properties) {
    /** HubSpot's rule for the name part: a lower-case letter first, then letters, digits, _ or -, at most 50. */
    static final Pattern SHORT_NAME = Pattern.compile("^[a-z][a-z0-9_-]{0,49}$");

    public EventDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fullyQualifiedName, "fullyQualifiedName");
        label = label == null ? name : label;
        pluralLabel = pluralLabel == null ? label : pluralLabel;
        description = description == null ? "" : description;
        properties = List.copyOf(properties);
    }

    static String qualifiedName(long hubId, String shortName) {
        return "pe" + hubId + "_" + shortName;
    }

    public Optional<EventProperty> property(String propertyName) {
        return properties.stream().filter(p -> p.name().equals(propertyName)).findFirst();
    }

    ObjectNode toJson(boolean includeProperties) {
        ObjectNode json = JsonCodec.object();
        json.put("id", id);
        json.put("name", name);
        json.put("fullyQualifiedName", fullyQualifiedName);
        ObjectNode labels = json.putObject("labels");
        labels.put("singular", label);
        labels.put("plural", pluralLabel);
        json.put("description", description);
        json.put("objectTypeId", "6-" + id);
        json.put("primaryObject", "CONTACT");
        json.put("trackingType", "MANUAL");
        json.put("archived", false);
        json.putArray("associations");
        ArrayNode props = json.putArray("properties");
        if (includeProperties) {
            properties.forEach(p -> props.add(p.toJson()));
        }
        return json;
    }
}
